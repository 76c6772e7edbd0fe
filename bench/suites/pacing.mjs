// Bench suite of issue 12 item 11: pacing. An upload through `tobira port web-a 0:9000` against the sandbox's
// gateway at MGS's reported limit (1000 data frames/s per direction; pause_publication when a sender nears
// it, closed beyond it). web-a's port 9000 leads to a byte counter in this process, so the upload is timed
// from the connect to the last byte arriving there: the client's own pacing, not the way back. Its MB/s over
// the gateway's ceiling (1000 frames/s × 1024 B) is the share of the ceiling the adaptive pacing reaches; the
// gateway's counters say whether it tripped the limit. Nothing here asserts.
import { createHash, randomBytes } from "node:crypto";
import { connect, createServer } from "node:net";
import { defaultWorld } from "../../packages/sandbox/dist/src/index.js";
import {
  GATEWAY_FRAMES_PER_SECOND,
  PAYLOAD_BYTES,
  sessionMachine,
  startTobiraPort,
  stopTobiraPort,
} from "./port-machine.mjs";

const quick = process.argv.includes("--quick");
export const PACING_TARGET = 0.97;
const SINK_PORT = 9000;

/** A TCP server that hashes what it receives and says when the last byte came. */
async function byteSink() {
  const done = [];
  const server = createServer((socket) => {
    const hash = createHash("sha256");
    let size = 0;
    socket.on("data", (chunk) => {
      hash.update(chunk);
      size += chunk.length;
    });
    socket.on("end", () => {
      done.shift()?.({ size, sha256: hash.digest("hex"), at: performance.now() });
      socket.end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: server.address().port,
    next: () => new Promise((resolve) => done.push(resolve)),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Writes `data` to the forwarded port; resolves with what the sink got and when. */
async function upload(port, data, sink) {
  const arrived = sink.next();
  const started = performance.now();
  const socket = connect({ host: "127.0.0.1", port });
  socket.on("connect", () => socket.end(data));
  socket.on("error", () => {});
  const got = await arrived;
  socket.destroy();
  return { ...got, seconds: (got.at - started) / 1000 };
}

/** @param {import("../run.mjs").BenchContext} context */
export async function pacingSuite(context) {
  const { log } = context;
  const sink = await byteSink();
  const world = structuredClone(defaultWorld());
  const webA = world.instances.find((instance) => instance.name === "web-a");
  webA.ports.push({ port: SINK_PORT, service: "tcp", target: `127.0.0.1:${sink.port}` });
  const machine = await sessionMachine(context, "pacing", { world });
  try {
    const data = randomBytes((quick ? 4 : 16) * 1024 * 1024);
    const run = await startTobiraPort(machine, [
      "web-a",
      `0:${SINK_PORT}`,
      "--profile",
      "project-a",
      "--quiet",
    ]);
    let got;
    try {
      log(`pacing: upload of ${data.length / 1024 / 1024} MiB through one session`);
      got = await upload(run.ports[0], data, sink);
    } finally {
      await stopTobiraPort(run.child);
    }
    if (got.size !== data.length || got.sha256 !== createHash("sha256").update(data).digest("hex"))
      throw new Error(`the upload arrived different (${got.size} bytes)`);
    const rate = got.size / got.seconds;
    const ceiling = GATEWAY_FRAMES_PER_SECOND * PAYLOAD_BYTES;
    const stats = machine.sandbox.gateway.stats();
    const facts = {
      [`port upload (${data.length / 1024 / 1024} MiB to web-a), client paced adaptively`]: `${(rate / 1e6).toFixed(3)} MB/s`,
      "  upload ÷ gateway ceiling (1000 frames/s × 1024 B)": `${(rate / ceiling).toFixed(3)} (target ≥ ${PACING_TARGET})`,
      "  gateway: clients paused / closed for rate / frames dropped": `${stats.clientPauses} / ${stats.clientsClosedForRate} / ${stats.clientFramesDropped}`,
    };
    return { measurements: [], ratios: [], afterTiming: () => facts, close: () => shutdown() };
  } catch (error) {
    await shutdown();
    throw error;
  }
  async function shutdown() {
    await machine.close();
    await sink.close();
  }
}
