// Sessions that survive the network and the clock, with the real CLI process: 32 MiB through a port
// session (to the echo service and back) while a relay on real sockets drops 5 % of the data frames and
// acknowledgements, duplicates and reorders others, and cuts the websocket three times; and a tunnel that
// keeps its connection past the expiry of its one-hour role credentials (the sandbox's clock moved forward),
// renewed through the credential core without a second MFA code.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { echo, sha256 } from "../fixtures/port-clients.mjs";
import { openEchoPort } from "../fixtures/sandbox-sessions.js";
import { BUILT, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";

const skip = !BUILT && "run `npm run build` first";
const timeout = 300_000;
const MIB = 1024 * 1024;

describe("a port session under injected faults", { skip, timeout }, () => {
  let fx: SandboxUser;
  before(async () => {
    fx = await startSandboxUser({
      label: "faults",
      keyBy: "tobira-add",
      // Loss toward the gateway: tobira's data and its acknowledgements. The agent's own repair of lost
      // frames is the official agent's (one resend per tick), which no client can speed up: loss toward
      // the client is tested on a smaller transfer below.
      relay: {
        toGateway: { drop: 0.05, duplicate: 0.05, jitterMs: 15 },
        toClient: { duplicate: 0.05, jitterMs: 15 },
      },
    });
  });
  after(async () => {
    await fx?.close();
  });

  test("32 MiB arrives intact through drops, duplicates, reordering and three forced disconnects", async () => {
    const { run, port } = await openEchoPort(fx);
    const data = randomBytes(32 * MIB);
    const marks = [0.25, 0.5, 0.75].map((share) => Math.floor(share * data.length));
    const { echoed } = await echo(port, data, (received) => {
      if (marks.length > 0 && received >= marks[0]!) {
        marks.shift();
        fx.relay!.cut();
      }
    });
    assert.equal(echoed.length, data.length);
    assert.equal(sha256(echoed), sha256(data));

    const stats = fx.relay!.stats();
    assert.equal(stats.cuts, 3);
    assert.ok(stats.dropped > 0 && stats.duplicated > 0 && stats.delayed > 0, JSON.stringify(stats));
    const resumed = run.stderr().match(/Session \S+ resumed\./g) ?? [];
    assert.ok(resumed.length >= 3, `three resumes at least:\n${run.stderr()}`);
    const resumeCalls = fx
      .audit()
      .filter((line) => line.action === "ResumeSession" && line.decision === "Allow");
    assert.ok(resumeCalls.length >= 3, "each reconnect asked ResumeSession for a new token");
    run.child.kill("SIGINT");
    assert.equal(await run.exited, 0);
  });

  test("1 MiB arrives intact with 5 % loss both ways", async () => {
    fx.relay!.faults = {
      toGateway: { drop: 0.05, duplicate: 0.05, jitterMs: 15 },
      toClient: { drop: 0.05, duplicate: 0.05, jitterMs: 15 },
    };
    const before = fx.relay!.stats();
    const { run, port } = await openEchoPort(fx);
    const data = randomBytes(MIB);
    const { echoed } = await echo(port, data);
    assert.equal(sha256(echoed), sha256(data));
    assert.ok(fx.relay!.stats().dropped > before.dropped);
    run.child.kill("SIGINT");
    assert.equal(await run.exited, 0);
  });
});

describe("a port session under the bench's loss (issue 12, item 10)", { skip, timeout }, () => {
  let fx: SandboxUser;
  // 2 % of the data frames and acknowledgements dropped, 2 % duplicated, 2 % held back behind later ones, in
  // both directions: what `npm run bench` measures, here checked for bytes only (speed is the bench's).
  const loss = { drop: 0.02, duplicate: 0.02, reorder: 0.02 };
  before(async () => {
    fx = await startSandboxUser({
      label: "loss",
      keyBy: "test",
      relay: { toGateway: loss, toClient: loss },
    });
  });
  after(async () => {
    await fx?.close();
  });

  test("4 MiB echo arrives intact, in order, nothing lost or doubled", async () => {
    const { run, port } = await openEchoPort(fx);
    const data = randomBytes(4 * MIB);
    const { echoed } = await echo(port, data);
    assert.equal(echoed.length, data.length);
    assert.equal(sha256(echoed), sha256(data));
    const stats = fx.relay!.stats();
    assert.ok(stats.dropped > 0 && stats.duplicated > 0 && stats.delayed > 0, JSON.stringify(stats));
    assert.equal(stats.cuts, 0, "no socket was cut: every loss was repaired inside the session");
    run.child.kill("SIGINT");
    assert.equal(await run.exited, 0);
  });
});

describe("a tunnel past its credentials' expiry", { skip, timeout }, () => {
  let fx: SandboxUser;
  let offsetMs = 0;
  before(async () => {
    // The sandbox's clock only: the CLI keeps the machine's clock and learns the service's from its answers.
    fx = await startSandboxUser({
      label: "expiry",
      keyBy: "tobira-add",
      clock: () => Date.now() + offsetMs,
      relay: {},
    });
  });
  after(async () => {
    await fx?.close();
  });

  test("one-hour role credentials expire, the socket drops, the same connection carries on", async () => {
    const { run, ports } = await fx.openPorts(["port", "db-a", "0:5432", "--profile", "project-a"]);
    const socket = connect({ host: "127.0.0.1", port: ports[0]! });
    socket.setEncoding("utf8");
    let echoed = "";
    socket.on("data", (chunk: string) => {
      echoed += chunk;
    });
    // One connection kept open across the resume: each text sent on it, and what came back.
    const sameConnection = async (text: string) => {
      const from = echoed.length;
      socket.write(text);
      while (echoed.length - from < text.length) await new Promise((resolve) => setTimeout(resolve, 20));
      return echoed.slice(from);
    };
    assert.equal(await sameConnection("before the hour;"), "before the hour;");
    const assumedBefore = fx
      .audit()
      .filter((l) => l.action === "AssumeRole" && l.decision === "Allow").length;

    offsetMs = 61 * 60 * 1000;
    fx.relay!.cut();
    await run.waitFor(/Session \S+ resumed\./);
    assert.equal(await sameConnection("after the hour."), "after the hour.");
    socket.destroy();

    assert.match(run.stderr(), /renewed the credentials of 'project-a'/);
    const audit = fx.audit();
    assert.ok(
      audit.some((l) => l.errorCode === "ExpiredTokenException"),
      "the service refused the expired credentials",
    );
    const assumedAfter = audit.filter((l) => l.action === "AssumeRole" && l.decision === "Allow").length;
    assert.equal(assumedAfter, assumedBefore + 1, "the role was assumed again");
    assert.equal(fx.mfaPrompts(), 1, "no second MFA code: the cached MFA session re-assumed the role");

    run.child.kill("SIGINT");
    assert.equal(await run.exited, 0);
  });
});
