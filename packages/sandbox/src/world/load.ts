// Reading worlds: YAML text or a file to a validated World (or a WorldError), and the built-in default world.

import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { inlineRolesAnywhereFiles } from "../rolesanywhere/world/files.js";
import { WorldError } from "./error.js";
import { issuesFromZod, type PathSegment, type WorldIssue } from "./issues.js";
import type { World } from "./model.js";
import { resolveWorld } from "./resolve.js";
import { worldFileSchema } from "./schema.js";

/** World files are small; anything larger is a mistake (a wrong path, a binary). */
export const MAX_WORLD_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Parses and validates world YAML. `source` names the file in errors; files a world names (a Roles Anywhere
 * CA bundle) are read relative to `baseDir` (default: the current folder). Throws WorldError.
 */
export function parseWorld(text: string, source: string, options: { baseDir?: string } = {}): World {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const issues = document.errors.map((error): WorldIssue => {
      const position = error.linePos?.[0];
      // yaml's messages end with "at line L, column C" and a snippet; the position is given separately.
      const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      return position === undefined
        ? { path: [], message }
        : { path: [], message, line: position.line, column: position.col };
    });
    throw new WorldError(source, issues, `World file ${source} is not valid YAML:`);
  }
  const input: unknown = document.toJS({ maxAliasCount: 1000 });
  if (input === null || input === undefined) {
    throw new WorldError(source, [
      { path: [], message: "the file is empty; a world needs at least `accounts`" },
    ]);
  }
  inlineRolesAnywhereFiles(input, options.baseDir ?? process.cwd(), source);
  const parsed = worldFileSchema.safeParse(input);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error.issues, input, worldFileSchema);
    throw new WorldError(source, locate(issues, document, lines));
  }
  const { world, issues } = resolveWorld(parsed.data);
  if (issues.length > 0) throw new WorldError(source, locate(issues, document, lines));
  return world;
}

/** Reads and validates a world file. Throws WorldError (also for a missing or unreadable file). */
export function loadWorldFile(path: string): World {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_WORLD_FILE_BYTES) {
      throw new WorldError(
        path,
        [],
        `World file ${path} is ${size} bytes; a world file is at most ${MAX_WORLD_FILE_BYTES}.`,
      );
    }
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof WorldError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "does not exist"
        : code === "EISDIR"
          ? "is a folder"
          : `cannot be read (${code ?? error})`;
    throw new WorldError(path, [], `World file ${path} ${why}.`);
  }
  return parseWorld(text, path, { baseDir: dirname(path) });
}

let defaultWorldCache: World | undefined;

/**
 * The built-in world (worlds/default.yaml of this package). Each call returns a fresh copy, so a caller
 * may change it without affecting others.
 */
export function defaultWorld(): World {
  if (defaultWorldCache === undefined) defaultWorldCache = loadWorldFile(defaultWorldPath());
  return structuredClone(defaultWorldCache);
}

/** Where the default world file is: the package's `worlds/`, found from src/world/ and dist/src/world/ alike. */
export function defaultWorldPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, "..", "..", "worlds"), join(here, "..", "..", "..", "worlds")];
  for (const folder of candidates) {
    const file = join(folder, "default.yaml");
    if (existsSync(file)) return file;
  }
  throw new WorldError(
    "default.yaml",
    [],
    `The built-in world file is missing (looked in ${candidates.join(" and ")}); the @tobira/sandbox package is incomplete.`,
  );
}

/** Adds line and column to issues by walking the YAML nodes along each path (as far as the path exists). */
function locate(issues: WorldIssue[], document: Document, lines: LineCounter): WorldIssue[] {
  return issues.map((issue) => {
    const offset = offsetOf(document.contents as Node | null, issue.path);
    if (offset === undefined) return issue;
    const position = lines.linePos(offset);
    return { ...issue, line: position.line, column: position.col };
  });
}

function offsetOf(root: Node | null, path: readonly PathSegment[]): number | undefined {
  let node: unknown = root;
  let offset = (root as { range?: [number, number, number] } | null)?.range?.[0];
  for (const segment of path) {
    if (isMap(node) && segment === 0) {
      // The policy schema reads a lone statement as a list of one, so its paths say Statement[0] where the
      // file has a single mapping: stay on that mapping.
    } else if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) break;
      // Point at the key: "Effect:" is where a reader looks for the Effect.
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as Node | undefined;
      if (item === undefined) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset;
}
