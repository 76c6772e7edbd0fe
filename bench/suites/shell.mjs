// Bench suite of issue 4: the session commands with MFA cached — time from `tobira shell` start to the first
// byte of the remote shell, `tobira run web-a -- true` end to end, and the bytes/s of
// `tobira run web-a -- cat BIGFILE` against the gateway's frame ceiling (printed as facts).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  GATEWAY_FRAMES_PER_SECOND,
  PACED_FRAMES_PER_SECOND,
  PAYLOAD_BYTES,
  sessionMachine,
} from "./port-machine.mjs";

const quick = process.argv.includes("--quick");

/** @param {import("../run.mjs").BenchContext} context */
export async function shellSuite(context) {
  const { node, log, root } = context;
  const machine = await sessionMachine(context, "shell");
  try {
    const facts = {};
    // The sandbox's agents run commands on this machine: BIGFILE is a local file the remote `cat` reads.
    const size = (quick ? 1 : 8) * 1024 * 1024;
    const bigFile = join(root, "bigfile.bin");
    writeFileSync(bigFile, randomBytes(size), { mode: 0o644 });
    log(`shell: tobira run web-a -- cat ${size / 1024 / 1024} MiB`);
    const { bytes, firstAt, lastAt } = await new Promise((resolve, reject) => {
      const child = spawn(
        node,
        [machine.entry, "run", "web-a", "--profile", "project-a", "--", "cat", bigFile],
        {
          env: machine.env,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let count = 0;
      let first;
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.stdout.on("data", (chunk) => {
        first ??= performance.now();
        count += chunk.length;
      });
      child.on("close", (code) =>
        code === 0
          ? resolve({ bytes: count, firstAt: first, lastAt: performance.now() })
          : reject(new Error(stderr)),
      );
    });
    const rate = (bytes / (lastAt - firstAt)) * 1000;
    facts[`tobira run -- cat (${size / 1024 / 1024} MiB)`] =
      `${(rate / 1e6).toFixed(3)} MB/s, ${bytes === size ? "all bytes" : `ONLY ${bytes} of ${size} bytes`}`;
    facts["  run ÷ gateway ceiling (1000 frames/s × 1024 B)"] = (
      rate /
      (GATEWAY_FRAMES_PER_SECOND * PAYLOAD_BYTES)
    ).toFixed(3);
    facts["  run ÷ paced ceiling (900 frames/s × 1024 B)"] = (
      rate /
      (PACED_FRAMES_PER_SECOND * PAYLOAD_BYTES)
    ).toFixed(3);

    // First shell byte: `tobira shell` with a pipe for stdin (no pty); the script exits at the first byte.
    const script = join(root, "shell-first-byte.mjs");
    writeFileSync(
      script,
      `import { spawn } from "node:child_process";
const child = spawn(process.execPath, ${JSON.stringify([machine.entry, "shell", "web-a", "--profile", "project-a"])}, { stdio: ["pipe", "pipe", "ignore"] });
child.stdin.write("echo first-shell-byte\\n");
child.stdout.on("data", (chunk) => {
  if (!String(chunk).includes("first-shell-byte")) return;
  process.stdout.write("first byte\\n");
  child.stdin.end("exit\\n");
  child.unref();
  process.exit(0);
});
`,
    );
    return {
      measurements: [
        {
          id: "shell-first-byte",
          label: "tobira shell: start → first shell output",
          command: node,
          args: [script],
          env: machine.env,
          check: (stdout) => stdout.includes("first byte"),
        },
        {
          id: "run-true",
          label: "tobira run web-a -- true",
          command: node,
          // -n: the bench hands its children an ended pipe, which tobira run refuses as input it cannot carry.
          args: [machine.entry, "run", "-n", "web-a", "--profile", "project-a", "--", "true"],
          env: machine.env,
          check: () => true,
        },
      ],
      ratios: [],
      afterTiming: () => facts,
      close: () => machine.close(),
    };
  } catch (error) {
    await machine.close();
    throw error;
  }
}
