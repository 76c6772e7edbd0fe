// Bench suite of issue 5: `tobira port` through the sandbox's message gateway at MGS's frame limit.
//   - throughput of one forwarded download, as a ratio to the gateway's ceiling (frames/s × payload), and to
//     the paced ceiling the clients stay under;
//   - time from `tobira port` start to the first forwarded byte (MFA cached), timed by the runner;
//   - peak RSS of one `tobira port` carrying 64 concurrent connections, and whether any of them starved.
// Throughput and RSS are measured once in set-up (they are minutes of data, not commands to repeat) and
// printed as facts; nothing here asserts.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { download, fileIndex } from "../../packages/cli/test/fixtures/port-clients.mjs";
import {
  GATEWAY_FRAMES_PER_SECOND,
  median,
  PACED_FRAMES_PER_SECOND,
  PAYLOAD_BYTES,
  sessionMachine,
  startTobiraPort,
  stopTobiraPort,
} from "./port-machine.mjs";

const quick = process.argv.includes("--quick");

function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kb / 1024);
}

/** @param {import("../run.mjs").BenchContext} context */
export async function portSuite(context) {
  const { node, log, root } = context;
  const machine = await sessionMachine(context, "port");
  const facts = {};
  try {
    const first = await startTobiraPort(machine, ["web-a", "0:80", "--profile", "project-a", "--quiet"]);
    let files;
    try {
      files = await fileIndex(first.ports[0]);
      // Throughput: one bulk download, timed from its first body byte to its last.
      const name = quick ? "1MiB.bin" : "16MiB.bin";
      const expected = files.find((f) => f.name === name);
      log(`port: downloading ${name} through one session`);
      const got = await download(first.ports[0], `/files/${name}`);
      if (got.sha256 !== expected.sha256) throw new Error(`${name} arrived corrupted`);
      const bytesPerSecond = (got.size / (got.last - got.first)) * 1000;
      const gatewayCeiling = GATEWAY_FRAMES_PER_SECOND * PAYLOAD_BYTES;
      const pacedCeiling = PACED_FRAMES_PER_SECOND * PAYLOAD_BYTES;
      facts[`port throughput (${name}, agent → client)`] = `${(bytesPerSecond / 1e6).toFixed(3)} MB/s`;
      facts["  port ÷ gateway ceiling (1000 frames/s × 1024 B)"] =
        `${(bytesPerSecond / gatewayCeiling).toFixed(3)} (target ≥ 0.95)`;
      facts["  port ÷ paced ceiling (900 frames/s × 1024 B)"] =
        `${(bytesPerSecond / pacedCeiling).toFixed(3)}`;
      facts["peak RSS of tobira port by Name (web-a), 1 connection"] = `${peakRssMb(first.child.pid)} MB`;
    } finally {
      await stopTobiraPort(first.child);
    }

    // 64 concurrent connections through one `tobira port`: peak RSS and the spread of completion.
    const each = quick ? files.find((f) => f.name === "64KiB.bin") : files.find((f) => f.name === "1MiB.bin");
    log(`port: 64 concurrent connections × ${each.name}`);
    // By instance id (as ssh-config's HostName gives it): the tunnel alone, without the EC2 client a Name
    // lookup loads (reported beside it from the throughput run, which names web-a).
    const run = await startTobiraPort(machine, [
      "i-0a1a0000000000001",
      "0:80",
      "--profile",
      "project-a",
      "--quiet",
    ]);
    const results = await Promise.all(
      Array.from({ length: 64 }, () => download(run.ports[0], `/files/${each.name}`)),
    );
    const rss = peakRssMb(run.child.pid);
    await stopTobiraPort(run.child);
    const intact = results.filter((r) => r.sha256 === each.sha256).length;
    const firstBytes = results.map((r) => r.first - r.started);
    facts["peak RSS of tobira port by id, 64 connections"] = `${rss} MB (target ≤ 120 MB)`;
    facts["  connections intact / started"] =
      `${intact} / 64 (${intact === 64 ? "none starved" : "SOME FAILED"})`;
    facts["  first byte per connection: median / max"] =
      `${median(firstBytes).toFixed(0)} / ${Math.max(...firstBytes).toFixed(0)} ms`;

    // Time to the first forwarded byte, as a command the runner times: start → "Port N opened" → GET → byte.
    const script = join(root, "port-first-byte.mjs");
    writeFileSync(
      script,
      `import { spawn } from "node:child_process";
import { connect } from "node:net";
const child = spawn(process.execPath, ${JSON.stringify([machine.entry, "port", "web-a", "0:80", "--profile", "project-a", "--quiet"])}, { stdio: ["ignore", "pipe", "inherit"] });
let out = "";
child.stdout.setEncoding("utf8").on("data", (chunk) => {
  out += chunk;
  const m = /Port (\\d+) opened/.exec(out);
  if (!m || out.includes("#asked")) return;
  out += "#asked";
  const socket = connect({ host: "127.0.0.1", port: Number(m[1]) });
  socket.write("GET /health HTTP/1.1\\r\\nHost: web-a\\r\\n\\r\\n");
  socket.once("data", () => {
    process.stdout.write("first byte\\n");
    socket.destroy();
    child.kill("SIGINT");
    child.unref();
    process.exit(0);
  });
});
`,
    );
    return {
      measurements: [
        {
          id: "port-first-byte",
          label: "tobira port: start → first forwarded byte",
          command: node,
          args: [script],
          env: machine.env,
          check: (stdout) => stdout.includes("first byte"),
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
