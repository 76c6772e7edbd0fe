// Loads @tobira/sandbox only when a sandbox or demo command runs, and turns its failures into TobiraErrors.
// Nothing else in the CLI may import the sandbox: `credential-process` must start without it.
import { existsSync } from "node:fs";
import type { World } from "@tobira/sandbox";
import { ConfigError, TobiraError } from "../errors.js";

export type SandboxLibrary = typeof import("@tobira/sandbox");
/** The sandbox's world, for modules that read one: they take the type from here, never the package itself. */
export type { World };

export async function loadSandboxLibrary(): Promise<SandboxLibrary> {
  try {
    return await import("@tobira/sandbox");
  } catch (error) {
    throw new TobiraError("the sandbox package @tobira/sandbox could not be loaded", {
      hint: "run `npm ci` (or `npm run build`) at the root of the tobira checkout",
      cause: error,
    });
  }
}

/** Where a sandbox's world comes from: a world file, synthesized CloudFormation templates, or both. */
export interface WorldSource {
  world?: string | undefined;
  template?: string[] | undefined;
  /** Account and region the templates' resources live in. */
  account?: string | undefined;
  region?: string | undefined;
}

/**
 * The world to serve: the built-in one, a world file, or templates loaded on top of a world file (or of nothing).
 * What a template holds that the sandbox does not model goes to `onNote`; what would change a decision is an error.
 */
export function loadWorld(
  sandbox: SandboxLibrary,
  source: WorldSource,
  onNote: (note: string) => void = () => {},
): World {
  if (source.template === undefined) return loadWorldFileOrDefault(sandbox, source.world);
  const base = source.world === undefined ? undefined : loadWorldFileOrDefault(sandbox, source.world);
  for (const file of source.template) {
    if (!existsSync(file)) {
      throw new ConfigError(`template file ${file} does not exist`, {
        hint: "synthesize the CDK app first (e.g. `npx cdk synth`), then pass its *.template.json",
      });
    }
  }
  try {
    const { world, notes } = sandbox.loadTemplatesIntoWorld(source.template, {
      account: source.account ?? "111111111111",
      region: source.region ?? "ap-northeast-1",
      ...(base === undefined ? {} : { base }),
    });
    for (const note of notes) onNote(sandbox.formatFinding(note));
    return world;
  } catch (error) {
    if (error instanceof sandbox.TemplateError) throw new ConfigError(error.message, { hint: error.hint });
    if (error instanceof sandbox.WorldError) throw new ConfigError(error.message, { hint: error.hint });
    throw error;
  }
}

function loadWorldFileOrDefault(sandbox: SandboxLibrary, path: string | undefined): World {
  if (path === undefined) return sandbox.defaultWorld();
  if (!existsSync(path)) {
    throw new ConfigError(`world file ${path} does not exist`, {
      hint: "give the path of a YAML world file, or leave out --world for the built-in world",
    });
  }
  try {
    return sandbox.loadWorldFile(path);
  } catch (error) {
    if (error instanceof sandbox.WorldError) {
      const message = error.message.includes(path) ? error.message : `world file ${path}: ${error.message}`;
      const hint = (error as { hint?: unknown }).hint;
      throw new ConfigError(message, {
        hint: typeof hint === "string" ? hint : "fix the world file at the places named above and run again",
      });
    }
    throw error;
  }
}

/**
 * The sandbox's own user-facing errors (a corrupt state.json, an unknown MFA device) carry a `hint`; they become
 * TobiraErrors so the terminal shows one line and the hint instead of a stack.
 */
export function asUserError(error: unknown): unknown {
  if (error instanceof TobiraError || !(error instanceof Error)) return error;
  const hint = (error as { hint?: unknown }).hint;
  return typeof hint === "string" ? new TobiraError(error.message, { hint, cause: error }) : error;
}

/** Turns a failure to start into an error a user can act on (a busy --port is the usual one). */
export function describeStartFailure(error: unknown, port: number | undefined): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") {
    return new TobiraError(`port ${port ?? "?"} on 127.0.0.1 is already in use`, {
      hint: "choose another --port, or leave it out to use a free port",
    });
  }
  if (code === "EACCES") {
    return new TobiraError(`not allowed to listen on port ${port ?? "?"} of 127.0.0.1`, {
      hint: "use a port above 1023, or leave out --port",
    });
  }
  return asUserError(error);
}
