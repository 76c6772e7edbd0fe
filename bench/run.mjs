#!/usr/bin/env node
// `npm run bench`: median wall times of short-lived commands, timed in one run, interleaved, after warm-up.
//
// The bench is a list of suites (suites/*.mjs). Each sets up what it needs in the bench's temp folder and
// returns measurements (a command to time, with a check of its output) and ratios to print. Every suite's
// measurements and the shared baseline `node -e 0` are run in turn, round after round, so that a slow
// moment of a shared machine lands on all of them alike. Nothing here asserts a time: the bench prints.
//
//   node bench/run.mjs [--quick] [--json] [--runs N] [--warmup N] [--only SUITE,…] [--compare-bin ENTRY.js …]
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runTimed } from "./child-run.mjs";
import { printJson, printTable } from "./report.mjs";
import { credentialProcessSuite } from "./suites/credential-process.mjs";
import { lossSuite } from "./suites/loss.mjs";
import { pacingSuite } from "./suites/pacing.mjs";
import { portSuite } from "./suites/port.mjs";
import { rolesAnywhereSuite } from "./suites/rolesanywhere.mjs";
import { shellSuite } from "./suites/shell.mjs";
import { stripingSuite } from "./suites/striping.mjs";

/** Add a suite here; issues 4 and 5 add theirs. */
const SUITES = [
  { name: "credential-process", setup: credentialProcessSuite },
  { name: "shell", setup: shellSuite },
  { name: "port", setup: portSuite },
  { name: "loss", setup: lossSuite },
  { name: "pacing", setup: pacingSuite },
  { name: "striping", setup: stripingSuite },
  { name: "rolesanywhere", setup: rolesAnywhereSuite },
];

/**
 * @typedef {object} BenchContext
 * @property {string} root the bench's temp folder (removed at the end)
 * @property {string} node this node
 * @property {string} tobiraBin packages/cli/bin/tobira.js, as a user runs it
 * @property {string} launcher the built CLI with every command registered, for set-up steps
 * @property {string | undefined} awsCli the AWS CLI v2, when there is one
 * @property {NodeJS.ProcessEnv} baseEnv this environment without AWS_* and TOBIRA_*, HOME in `root`
 * @property {(line: string) => void} log progress on stderr
 * @property {string[]} compareBins other builds of the CLI entry to time beside tobiraBin
 */

const { values: options } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    runs: { type: "string" },
    warmup: { type: "string" },
    // Only these suites (names as in SUITES, comma-separated): `--only loss` prints the loss rows alone.
    only: { type: "string" },
    // Another build of the CLI's entry (say, a bundle under trial): its cache hit is timed beside ours.
    "compare-bin": { type: "string", multiple: true, default: [] },
  },
});
const runs = Number(options.runs ?? (options.quick ? 7 : 25));
const warmup = Number(options.warmup ?? (options.quick ? 1 : 3));
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(warmup) || warmup < 0) {
  console.error("bench: --runs must be a whole number ≥ 1 and --warmup ≥ 0");
  process.exit(2);
}

const repo = fileURLToPath(new URL("..", import.meta.url));
const tobiraBin = join(repo, "packages", "cli", "bin", "tobira.js");
if (!existsSync(join(repo, "packages", "cli", "dist", "src", "bin.js"))) {
  console.error("bench: the CLI is not built; run `npm run build` first (npm run bench does)");
  process.exit(1);
}
const awsCandidate = process.env.TOBIRA_AWS_CLI || "/usr/bin/aws";
const log = (line) => process.stderr.write(`bench: ${line}\n`);

const root = mkdtempSync(join(tmpdir(), "tobira-bench-"));
const baseEnv = { HOME: join(root, "home"), AWS_EC2_METADATA_DISABLED: "true", AWS_PAGER: "" };
for (const [key, value] of Object.entries(process.env)) {
  if (!key.startsWith("AWS_") && !key.startsWith("TOBIRA_") && key !== "HOME") baseEnv[key] = value;
}
/** @type {BenchContext} */
const context = {
  root,
  node: process.execPath,
  tobiraBin,
  launcher: join(repo, "bench", "tobira-launcher.mjs"),
  awsCli: existsSync(awsCandidate) ? awsCandidate : undefined,
  baseEnv,
  log,
  compareBins: options["compare-bin"],
};

const prepared = [];
try {
  for (const suite of chosenSuites()) {
    log(`setting up suite ${suite.name}`);
    prepared.push({ name: suite.name, ...(await suite.setup(context)) });
  }
  const measurements = [
    {
      id: "node-baseline",
      label: "node -e 0",
      command: process.execPath,
      args: ["-e", "0"],
      env: baseEnv,
      check: () => true,
    },
    ...prepared.flatMap((suite) => suite.measurements),
  ];
  const times = await timeInterleaved(measurements, prepared);
  const facts = Object.assign({}, ...prepared.map((suite) => suite.afterTiming?.() ?? {}));
  const results = summarize(measurements, times);
  const ratios = prepared.flatMap((suite) => suite.ratios).flatMap((ratio) => ratioOf(ratio, results));
  const report = {
    runs,
    warmup,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    measurements: results,
    ratios,
    facts,
  };
  if (options.json) printJson(report);
  else printTable(report);
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  for (const suite of prepared) await suite.close?.();
  rmSync(root, { recursive: true, force: true });
}

/** SUITES, or those `--only` names (an unknown name is an error, not an empty bench). */
function chosenSuites() {
  if (options.only === undefined) return SUITES;
  const names = options.only.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !SUITES.some((suite) => suite.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `--only: no suite ${unknown.join(", ")} (suites: ${SUITES.map((s) => s.name).join(", ")})`,
    );
  }
  return SUITES.filter((suite) => names.includes(suite.name));
}

/** Warm-up rounds (the first checks every command's output), then timed rounds in a rotating order. */
async function timeInterleaved(measurements, suites) {
  const times = new Map(measurements.map((m) => [m.id, []]));
  for (let round = 0; round < Math.max(1, warmup); round++) {
    for (const m of measurements) {
      const result = await runTimed(m);
      if (result.code !== 0 || !safeCheck(m, result.stdout)) {
        throw new Error(
          `"${m.label}" did not give the expected output (exit ${result.code}); not timing it\n${result.stderr.trim()}`,
        );
      }
    }
  }
  for (const suite of suites) suite.beforeTiming?.();
  log(`timing ${measurements.length} commands × ${runs} runs`);
  for (let round = 0; round < runs; round++) {
    // Rotate the order so no command always follows the same one.
    for (let i = 0; i < measurements.length; i++) {
      const m = measurements[(i + round) % measurements.length];
      const result = await runTimed(m);
      if (result.code !== 0) throw new Error(`"${m.label}" failed while timing\n${result.stderr.trim()}`);
      times.get(m.id).push(result.ms);
    }
  }
  return times;
}

function safeCheck(measurement, stdout) {
  try {
    return measurement.check(stdout);
  } catch {
    return false;
  }
}

function summarize(measurements, times) {
  return measurements.map((m) => {
    const sorted = [...times.get(m.id)].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    const middle = sorted.length / 2;
    const median =
      sorted.length % 2 === 1 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
    return {
      id: m.id,
      label: m.label,
      medianMs: round1(median),
      minMs: round1(sorted[0]),
      p90Ms: round1(at(0.9)),
    };
  });
}

function ratioOf(ratio, results) {
  const of = results.find((r) => r.id === ratio.of);
  const to = results.find((r) => r.id === ratio.to);
  if (!of || !to) return [];
  const value = Math.round((of.medianMs / to.medianMs) * 100) / 100;
  return [
    {
      label: ratio.label,
      value,
      // Of the fastest runs: steadier than the medians on a busy machine, so printed beside them.
      ofMins: Math.round((of.minMs / to.minMs) * 100) / 100,
      ...(ratio.target === undefined ? {} : { target: ratio.target, met: value <= ratio.target }),
    },
  ];
}

function round1(ms) {
  return Math.round(ms * 10) / 10;
}
