// The real CLI against a gateway whose frame limit is lower than the client's starting rate: 300 data frames
// per second per direction (the sandbox tells a client nearing it to pause, and closes one that goes on).
// `tobira port`'s adaptive pacing must back off on that signal and never trip the limit: counted by the
// gateway, not timed. A client that paces at a fixed 900/s is closed by the same gateway
// (packages/sandbox/test/gateway/gateway-limits.test.ts). A client that only holds on each pause and resumes
// at 900/s is not closed either, so the rate it backed off to is read from its TOBIRA_DEBUG diagnostics.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { echo, sha256 } from "../fixtures/port-clients.mjs";
import { openEchoPort } from "../fixtures/sandbox-sessions.js";
import { BUILT, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";

const skip = !BUILT && "run `npm run build` first";
const timeout = 240_000;

describe("adaptive pacing against a gateway limit below the client's starting rate", {
  skip,
  timeout,
}, () => {
  let fx: SandboxUser;
  before(async () => {
    fx = await startSandboxUser({ label: "pacing", keyBy: "test", gateway: { framesPerSecond: 300 } });
  });
  after(async () => {
    await fx?.close();
  });

  test("2 MiB echo at 300 frames/s: paused, backed off, never closed nor dropped, bytes intact", async () => {
    const { run, port } = await openEchoPort(fx, { TOBIRA_DEBUG: "1" });
    const data = randomBytes(2 * 1024 * 1024);
    const { echoed } = await echo(port, data);
    assert.equal(sha256(echoed), sha256(data));
    const stats = fx.sandbox.gateway.stats();
    assert.ok(stats.clientPauses > 0, "the gateway gave its signal (the client started at 900/s)");
    assert.equal(stats.clientsClosedForRate, 0, "the limit was never tripped");
    assert.equal(stats.clientFramesDropped, 0);
    assert.doesNotMatch(run.stderr(), /resumed/, "no reconnect was needed either");
    const rates = [
      ...run.stderr().matchAll(/: warning: pause_publication: holding, then (\d+) frames\/s/g),
    ].map((match) => Number(match[1]));
    assert.ok(rates.length > 0, `each pause is shown with TOBIRA_DEBUG:\n${run.stderr()}`);
    assert.ok(
      Math.min(...rates) <= 630,
      `the rate fell from 900/s by at least one back-off (×0.7): ${rates}`,
    );
    run.child.kill("SIGINT");
    assert.equal(await run.exited, 0);
  });
});
