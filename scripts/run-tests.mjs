#!/usr/bin/env node
// Runs every packages/*/test/**/*.test.ts and test/**/*.test.ts through node's test runner (TypeScript loaded by tsx).
// Arguments narrow the run to files whose path contains one of them: `npm run test:unit -- policy`.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function findTests(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = [];
for (const pkg of readdirSync("packages")) {
  const testDir = join("packages", pkg, "test");
  try {
    statSync(testDir);
  } catch {
    continue;
  }
  findTests(testDir, files);
}
// Tests of the repository itself (its lint rules), beside the packages' own.
try {
  statSync("test");
  findTests("test", files);
} catch {}
const chosen = files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (chosen.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
const concurrency = process.env.TOBIRA_TEST_CONCURRENCY ?? "2";
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...chosen],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
