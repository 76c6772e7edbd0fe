// Basic mode (§7.3: one connection at a time, DisconnectToPort, re-dial) and stdin/stdout stream mode
// (§7.5), chosen by the version rules on both sides, over the in-memory gateway.

import assert from "node:assert/strict";
import type { Duplex } from "node:stream";
import { describe, it } from "node:test";
import { FlagValue } from "../../src/constants.js";
import { memoryDuplexPair } from "../../src/testing/memory-duplex-pair.js";
import { collect, portHarness } from "../support/port-harness.js";

/** An echo destination; records each connection. */
function echoDestination() {
  const connections: Duplex[] = [];
  const dial = async () => {
    const [service, agentSide] = memoryDuplexPair();
    service.on("data", (chunk: Buffer) => service.write(chunk));
    service.on("end", () => service.end());
    connections.push(service);
    return agentSide;
  };
  return { connections, dial };
}

describe("basic port mode", () => {
  it("old peers on both sides pick basic; one connection at a time with DisconnectToPort and re-dial", async () => {
    const echo = echoDestination();
    const h = portHarness({
      // Agent ≤ 3.0.196.0 ⇒ the client picks basic; client < 1.1.70 ⇒ the agent picks basic.
      agentVersion: "3.0.196.0",
      clientVersion: "1.1.69",
      faults: { drop: 0.05, duplicate: 0.05, jitterMs: 10 },
      dial: echo.dial,
    });
    assert.ok(await h.runUntil(() => echo.connections.length === 1, 10_000), "the agent dials at once");
    assert.equal(h.agentMode(), "basic");
    assert.equal((await h.session.ready).mode, "basic");

    const [app1, local1] = memoryDuplexPair();
    const got1 = collect(app1);
    const done1 = h.session.connect(local1);
    const [app2, local2] = memoryDuplexPair();
    const got2 = collect(app2);
    let done2Finished = false;
    void h.session.connect(local2).then(() => {
      done2Finished = true;
    });
    app1.write("hello one");
    app2.write("hello two"); // waits behind connection one
    assert.ok(await h.runUntil(() => got1.bytes().toString() === "hello one", 10_000));
    assert.equal(got2.bytes().length, 0, "the second connection waits");

    app1.end();
    assert.ok(await h.runUntil(() => h.agentFlags.includes(FlagValue.DisconnectToPort), 10_000));
    await done1;
    assert.ok(echo.connections[0]!.destroyed, "the agent closed its destination on DisconnectToPort");
    assert.ok(await h.runUntil(() => got2.bytes().toString() === "hello two", 10_000));
    assert.equal(echo.connections.length, 2, "the agent re-dialled on the next data");
    app2.end();
    assert.ok(await h.runUntil(() => done2Finished && h.agentFlags.length === 2, 10_000));
    assert.deepEqual(h.agentFlags, [FlagValue.DisconnectToPort, FlagValue.DisconnectToPort]);
  });

  it("Ctrl-C on an agent ≤ 2.3.722.0: no flag, terminate() says the TerminateSession API is needed", async () => {
    const echo = echoDestination();
    const h = portHarness({ agentVersion: "2.3.722.0", clientVersion: "1.0.0", dial: echo.dial });
    assert.ok(await h.runUntil(() => h.agentMode() !== undefined, 10_000));
    const result = h.session.terminate();
    await h.runUntil(() => h.relay.clientEnd?.closed === true, 5000);
    assert.equal(await result, false);
    assert.deepEqual(h.agentFlags, []);
  });
});

describe("stdin/stdout stream mode (SSH ProxyCommand)", () => {
  it("no `type` property ⇒ stream mode; output waits unacked until stdio is attached; destination EOF ends the agent side", async () => {
    let service: Duplex | undefined;
    const h = portHarness({
      properties: { portNumber: "22" },
      faults: { drop: 0.05, jitterMs: 10 },
      dial: async () => {
        const [s, agentSide] = memoryDuplexPair();
        s.write("SSH-2.0-OpenSSH_9.2\r\n"); // the banner comes before any client byte
        s.on("data", (chunk: Buffer) => s.write(chunk));
        service = s;
        return agentSide;
      },
    });
    let mode: string | undefined;
    void h.session.ready.then((r) => {
      mode = r.mode;
    });
    assert.ok(await h.runUntil(() => mode !== undefined, 10_000));
    assert.equal(mode, "stream");
    // Nothing attached yet: the banner is not acknowledged, so the agent keeps it.
    await h.runUntil(() => false, 2000);
    assert.ok(h.agent.stats().outgoing.inFlight > 0, "banner held by the agent (no ack)");

    const [stdinWriter, stdin] = memoryDuplexPair();
    const [stdout, stdoutReader] = memoryDuplexPair();
    const got = collect(stdoutReader);
    const inputDone = h.session.attachStdio(stdin, stdout);
    stdinWriter.write("client-hello");
    assert.ok(
      await h.runUntil(() => got.bytes().toString() === "SSH-2.0-OpenSSH_9.2\r\nclient-hello", 20_000),
    );
    await assert.rejects(h.session.attachStdio(stdin, stdout), /already carries/);
    stdinWriter.end();
    let ended = false;
    void inputDone.then(() => {
      ended = true;
    });
    assert.ok(await h.runUntil(() => ended, 5000));
    service!.end();
    assert.ok(await h.runUntil(() => h.agentEnds.length === 1, 10_000));
    assert.deepEqual(h.agentEnds, [{ reason: "destination-closed" }]);
  });
});
