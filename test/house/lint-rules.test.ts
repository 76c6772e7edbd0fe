// The house rules in biome.json fail a deliberate violation of each: boundaries, import cycles, function length.
// Each case writes a small tree into a scratch copy of the repository's layout and lints it with the
// repository's own biome.json, so a rule that is switched off or mis-scoped makes its case fail here.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";

const root = join(import.meta.dirname, "..", "..");
const biome = join(root, "node_modules", ".bin", "biome");

interface Diagnostic {
  category: string;
  location: { path: string };
}

let scratch: string;

/** Lints `files` (path → text) in a fresh tree that carries the repository's biome.json. */
function lint(files: Record<string, string>): Diagnostic[] {
  const tree = mkdtempSync(join(scratch, "case-"));
  const config = JSON.parse(readFileSync(join(root, "biome.json"), "utf8")) as Record<string, unknown>;
  delete config.$schema; // the scratch tree has no node_modules to point at
  writeFileSync(join(tree, "biome.json"), JSON.stringify(config));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  }
  let out: string;
  try {
    out = execFileSync(biome, ["lint", "--reporter=json", "."], { cwd: tree, encoding: "utf8" });
  } catch (error) {
    // biome exits 1 when it reports errors; its JSON is still on stdout.
    out = String((error as { stdout?: unknown }).stdout ?? "");
  }
  const report = JSON.parse(out) as { diagnostics: Diagnostic[] };
  return report.diagnostics;
}

function categories(diagnostics: Diagnostic[], path: string): string[] {
  return diagnostics.filter((d) => d.location.path === path).map((d) => d.category);
}

const RESTRICTED = "lint/style/noRestrictedImports";

/** A function whose body is `lines` statements long. */
function functionOf(lines: number): string {
  const body = Array.from({ length: lines }, (_, i) => `  total += ${i};`).join("\n");
  return `export function long(): number {\n  let total = 0;\n${body}\n  return total;\n}\n`;
}

describe("the house rules in biome.json", () => {
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), "tobira-lint-rules-"));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test("a clean module passes, so the cases below fail for their violation only", () => {
    const found = lint({
      "packages/session/src/clean.ts":
        'import { randomBytes } from "node:crypto";\nexport const id = randomBytes(4);\n',
    });
    assert.deepEqual(found, []);
  });

  test("session opens no socket, touches no terminal and calls no AWS API", () => {
    const found = lint({
      "packages/session/src/socket.ts": 'import { connect } from "node:net";\nexport const c = connect;\n',
      "packages/session/src/terminal.ts": 'import { isatty } from "node:tty";\nexport const t = isatty;\n',
      "packages/session/src/kms.ts":
        'import { KMSClient } from "@aws-sdk/client-kms";\nexport const k = KMSClient;\n',
      "packages/session/src/ws.ts": 'import { WebSocket } from "ws";\nexport const w = WebSocket;\n',
    });
    for (const path of ["socket", "terminal", "kms", "ws"]) {
      assert.deepEqual(categories(found, `packages/session/src/${path}.ts`), [RESTRICTED], path);
    }
  });

  test("the sandbox imports nothing of the cli, by name or by path", () => {
    const found = lint({
      "packages/sandbox/src/by-name.ts": 'import { runExec } from "tobira";\nexport const r = runExec;\n',
      "packages/sandbox/src/services/by-path.ts":
        'import { x } from "../../../cli/src/credentials/plan.js";\nexport const y = x;\n',
    });
    assert.deepEqual(categories(found, "packages/sandbox/src/by-name.ts"), [RESTRICTED]);
    assert.deepEqual(categories(found, "packages/sandbox/src/services/by-path.ts"), [RESTRICTED]);
  });

  test("cdk imports neither the session nor the cli", () => {
    const found = lint({
      "packages/cdk/src/probe.ts": 'import { FRAME } from "@tobira/session";\nexport const f = FRAME;\n',
    });
    assert.deepEqual(categories(found, "packages/cdk/src/probe.ts"), [RESTRICTED]);
  });

  test("the cli loads the sandbox only in sandbox-control/sandbox-library.ts, even lazily", () => {
    const found = lint({
      "packages/cli/src/outputs/eager.ts":
        'import { startSandbox } from "@tobira/sandbox";\nexport const s = startSandbox;\n',
      "packages/cli/src/demo/lazy.ts": 'export const load = () => import("@tobira/sandbox");\n',
      "packages/cli/src/sandbox-control/sandbox-library.ts":
        'export const load = () => import("@tobira/sandbox");\n',
    });
    assert.deepEqual(categories(found, "packages/cli/src/outputs/eager.ts"), [RESTRICTED]);
    assert.deepEqual(categories(found, "packages/cli/src/demo/lazy.ts"), [RESTRICTED]);
    assert.deepEqual(categories(found, "packages/cli/src/sandbox-control/sandbox-library.ts"), []);
  });

  test("an import cycle fails, type-only imports included", () => {
    const found = lint({
      "packages/cli/src/a.ts": 'import type { B } from "./b.js";\nexport interface A {\n  b?: B;\n}\n',
      "packages/cli/src/b.ts": 'import type { A } from "./a.js";\nexport interface B {\n  a?: A;\n}\n',
    });
    assert.deepEqual(categories(found, "packages/cli/src/a.ts"), ["lint/suspicious/noImportCycles"]);
  });

  test("a shipped function over 80 lines fails; the same in a test passes", () => {
    const found = lint({
      "packages/cli/src/long.ts": functionOf(80),
      "packages/cli/src/short.ts": functionOf(70),
      "packages/cli/test/long.ts": functionOf(80),
    });
    assert.deepEqual(categories(found, "packages/cli/src/long.ts"), [
      "lint/complexity/noExcessiveLinesPerFunction",
    ]);
    assert.deepEqual(categories(found, "packages/cli/src/short.ts"), []);
    assert.deepEqual(categories(found, "packages/cli/test/long.ts"), []);
  });
});
