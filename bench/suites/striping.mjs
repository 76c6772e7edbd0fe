// Bench suite of issue 12: striping over several Session Manager sessions, against a gateway that holds each
// session to MGS's frame limit (1000 frames/s per session and direction, as the sandbox's gateway does).
//   - `tobira port … --sessions 1` and `--sessions 4`, each carrying four parallel downloads of one file:
//     the bytes per second of all four together, from the first body byte to the last (what each session
//     carries, without the fixed cost of opening connections), and the ratio 4 sessions ÷ 1 session
//     (target ≥ 3.5);
//   - `tobira cp` of one file up to web-a, and back down, with --sessions 1 and --sessions 4 (when the sandbox
//     runs its sshd): the seconds its parts took, as cp --json reports them, and the ratio; the copy's sha256
//     is checked.
// Measured once in set-up (tens of seconds of data each) and printed as facts; every download's sha256 is
// checked against the one the sandbox's HTTP service announces. Nothing here asserts a time.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { download, fileIndex } from "../../packages/cli/test/fixtures/port-clients.mjs";
import { sessionMachine, startTobiraPort, stopTobiraPort } from "./port-machine.mjs";

const quick = process.argv.includes("--quick");
const PARALLEL = 4;

/** Bytes per second of PARALLEL downloads of `file` through `tobira port … --sessions n`, all intact. */
async function stripedDownload(machine, sessions, file) {
  const run = await startTobiraPort(machine, [
    "web-a",
    "0:80",
    "--profile",
    "project-a",
    "--quiet",
    "--sessions",
    String(sessions),
  ]);
  try {
    const got = await Promise.all(
      Array.from({ length: PARALLEL }, () => download(run.ports[0], `/files/${file.name}`)),
    );
    const first = Math.min(...got.map((one) => one.first));
    const seconds = (Math.max(...got.map((one) => one.last)) - first) / 1000;
    if (got.some((one) => one.sha256 !== file.sha256 || one.size !== file.size)) {
      throw new Error(`a download of ${file.name} through ${sessions} session(s) arrived corrupted`);
    }
    return (PARALLEL * file.size) / seconds;
  } finally {
    await stopTobiraPort(run.child);
  }
}

/**
 * Bytes per second of the parts of one `tobira cp` between here and web-a ("up": `local` to the instance;
 * "down": `local` as the instance's file back to here), and that the copy is intact. The sandbox's instance
 * shares this machine's files, so both ends are paths here.
 */
async function stripedCopy(machine, sessions, local, size, direction = "up") {
  const services = JSON.parse(readFileSync(join(machine.stateDir, "local-services.json"), "utf8"));
  const landedDir = join(machine.dir, `copied-${direction}-${sessions}`);
  mkdirSync(landedDir, { recursive: true });
  const instance = (path) => `${services.ssh.user}@web-a:${path}`;
  const args = [
    machine.entry,
    "cp",
    ...(direction === "up" ? [local, instance(`${landedDir}/`)] : [instance(local), `${landedDir}/`]),
    "--sessions",
    String(sessions),
  ];
  args.push("-i", services.ssh.identityFile, "-o", `UserKnownHostsFile=${services.ssh.knownHostsFile}`);
  args.push("--profile", "project-a", "--json");
  const { code, stdout, stderr } = await new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: machine.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      err += chunk;
    });
    child.on("close", (exit) => resolve({ code: exit, stdout: out, stderr: err }));
  });
  if (code !== 0) throw new Error(`tobira cp --sessions ${sessions} failed:\n${stderr}`);
  const summary = JSON.parse(stdout);
  const landed = createHash("sha256")
    .update(readFileSync(join(landedDir, "striping.bin")))
    .digest("hex");
  if (landed !== summary.sha256 || summary.bytes !== size)
    throw new Error("tobira cp: the copy is not intact");
  return size / summary.transferSeconds;
}

/** The cp rows, when the sandbox serves web-a:22 with its own sshd. */
async function copyFacts(machine, log) {
  const services = JSON.parse(readFileSync(join(machine.stateDir, "local-services.json"), "utf8"));
  if (!services.ssh?.identityFile || !existsSync("/usr/bin/ssh")) {
    log("striping: no sshd in the sandbox (openssh-server) or no ssh: the tobira cp rows are left out");
    return {};
  }
  // 16 MiB in the short form too: each part pays one ssh start (≈0.3 s), which against a 1 MiB part would
  // make the row measure OpenSSH's handshake rather than what the sessions carry.
  const size = 16 * 1024 * 1024;
  const local = join(machine.dir, "striping.bin");
  writeFileSync(local, randomBytes(size));
  log(`striping: tobira cp of ${size / 1024 / 1024} MiB up to web-a, --sessions 1`);
  const one = await stripedCopy(machine, 1, local, size);
  log(`striping: tobira cp of ${size / 1024 / 1024} MiB up to web-a, --sessions 4`);
  const four = await stripedCopy(machine, 4, local, size);
  log(`striping: tobira cp of ${size / 1024 / 1024} MiB down from web-a, --sessions 1 and 4`);
  const oneDown = await stripedCopy(machine, 1, local, size, "down");
  const fourDown = await stripedCopy(machine, 4, local, size, "down");
  const mib = size / 1024 / 1024;
  return {
    [`cp --sessions 1, ${mib} MiB up (its parts)`]: `${(one / 1e6).toFixed(3)} MB/s`,
    [`cp --sessions 4, ${mib} MiB up (its parts)`]: `${(four / 1e6).toFixed(3)} MB/s`,
    "  cp striping: 4 sessions ÷ 1 session": `${(four / one).toFixed(2)} (target ≥ 3.5)`,
    [`cp --sessions 1, ${mib} MiB down (its parts)`]: `${(oneDown / 1e6).toFixed(3)} MB/s`,
    [`cp --sessions 4, ${mib} MiB down (its parts)`]: `${(fourDown / 1e6).toFixed(3)} MB/s`,
    "  cp striping down: 4 sessions ÷ 1 session": `${(fourDown / oneDown).toFixed(2)} (target ≥ 3.5)`,
  };
}

/** @param {import("../run.mjs").BenchContext} context */
export async function stripingSuite(context) {
  const { log } = context;
  const machine = await sessionMachine(context, "striping");
  try {
    const index = await startTobiraPort(machine, ["web-a", "0:80", "--profile", "project-a", "--quiet"]);
    const files = await fileIndex(index.ports[0]).finally(() => stopTobiraPort(index.child));
    const file = files.find((f) => f.name === (quick ? "1MiB.bin" : "16MiB.bin"));

    log(`striping: ${PARALLEL} × ${file.name} through tobira port --sessions 1`);
    const one = await stripedDownload(machine, 1, file);
    log(`striping: ${PARALLEL} × ${file.name} through tobira port --sessions 4`);
    const four = await stripedDownload(machine, 4, file);
    const facts = {
      [`port --sessions 1, ${PARALLEL} × ${file.name} in parallel`]: `${(one / 1e6).toFixed(3)} MB/s`,
      [`port --sessions 4, ${PARALLEL} × ${file.name} in parallel`]: `${(four / 1e6).toFixed(3)} MB/s`,
      "  port striping: 4 sessions ÷ 1 session": `${(four / one).toFixed(2)} (target ≥ 3.5)`,
      ...(await copyFacts(machine, log)),
    };
    return { measurements: [], ratios: [], afterTiming: () => facts, close: () => machine.close() };
  } catch (error) {
    await machine.close();
    throw error;
  }
}
