// Bench suite of issue 12 item 10: loss recovery. One echo through `tobira port db-a 0:5432` (the sandbox's
// TCP echo service), first straight to the sandbox, then through the sandbox's loss relay (FaultyGatewayRelay)
// dropping, duplicating and reordering 2 % of the data frames and acknowledgements each, both ways. Printed:
// MB/s of each, the ratio with loss ÷ without, and the ratio to the target (0.6 MB/s at that loss). Bytes are
// checked (sha256); nothing here asserts a time.
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { echo, sha256 } from "../../packages/cli/test/fixtures/port-clients.mjs";
import { FaultyGatewayRelay } from "../../packages/sandbox/dist/src/index.js";
import { sessionMachine, startTobiraPort, stopTobiraPort } from "./port-machine.mjs";

const quick = process.argv.includes("--quick");

/** The loss: 2 % dropped, 2 % duplicated, 2 % reordered, in each direction. */
export const LOSS_FAULTS = { drop: 0.02, duplicate: 0.02, reorder: 0.02 };
export const LOSS_TARGET_MB_PER_S = 0.6;

/** The same user machine, its config pointing at `endpoint` instead of the sandbox's. */
function viaEndpoint(machine, from, to, name) {
  const config = join(machine.dir, `config-${name}`);
  writeFileSync(config, readFileSync(machine.env.AWS_CONFIG_FILE, "utf8").replaceAll(from, to), {
    mode: 0o600,
  });
  return { ...machine, env: { ...machine.env, AWS_CONFIG_FILE: config } };
}

/** MB/s of one echo of `bytes` through a fresh `tobira port` on `machine`. */
async function echoRate(machine, bytes, label, log) {
  const run = await startTobiraPort(machine, ["db-a", "0:5432", "--profile", "project-a", "--quiet"]);
  try {
    log(`loss: echo of ${bytes / 1024 / 1024} MiB ${label}`);
    const data = randomBytes(bytes);
    // From the first write to the last byte back: the set-up of the stream included.
    const { echoed, started, last } = await echo(run.ports[0], data);
    if (sha256(echoed) !== sha256(data))
      throw new Error(`the echo ${label} came back different (${echoed.length} bytes)`);
    return ((echoed.length / (last - started)) * 1000) / 1e6;
  } finally {
    await stopTobiraPort(run.child);
  }
}

/** @param {import("../run.mjs").BenchContext} context */
export async function lossSuite(context) {
  const { log } = context;
  const machine = await sessionMachine(context, "loss");
  const relay = await FaultyGatewayRelay.start(
    machine.sandbox.endpoint,
    { toGateway: LOSS_FAULTS, toClient: LOSS_FAULTS },
    12,
  );
  try {
    const bytes = (quick ? 2 : 16) * 1024 * 1024;
    const size = `${bytes / 1024 / 1024} MiB`;
    const clean = await echoRate(machine, bytes, "without loss", log);
    const lossy = viaEndpoint(machine, machine.sandbox.endpoint, relay.url, "loss-relay");
    const withLoss = await echoRate(lossy, bytes, "through the loss relay", log);
    const stats = relay.stats();
    const facts = {
      [`port echo (${size}, db-a) without loss`]: `${clean.toFixed(3)} MB/s`,
      [`port echo (${size}, db-a) with 2 % drop + 2 % dup + 2 % reorder both ways`]: `${withLoss.toFixed(3)} MB/s`,
      "  relay frames: dropped / duplicated / delayed of all": `${stats.dropped} / ${stats.duplicated} / ${stats.delayed} of ${stats.frames}`,
      "  echo with loss ÷ without loss": (withLoss / clean).toFixed(3),
      [`  echo with loss ÷ target (${LOSS_TARGET_MB_PER_S} MB/s)`]: `${(withLoss / LOSS_TARGET_MB_PER_S).toFixed(3)} (target ≥ 1)`,
    };
    return { measurements: [], ratios: [], afterTiming: () => facts, close: () => shutdown() };
  } catch (error) {
    await shutdown();
    throw error;
  }
  async function shutdown() {
    await relay.close();
    await machine.close();
  }
}
