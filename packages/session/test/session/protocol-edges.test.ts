import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../../src/clock.js";
import { encodeAcknowledgeFrame } from "../../src/codec/acknowledge.js";
import { encodeChannelClosedFrame } from "../../src/codec/channel-closed.js";
import { encodePublicationFrame } from "../../src/codec/control-payloads.js";
import { decodeFrame } from "../../src/codec/frame.js";
import { runFor, settle } from "../support/memory-transport.js";
import { scriptedAgent, scriptedClient } from "../support/scripted-roles.js";
import { ackedSeqs, decodedSent, input, output } from "../support/stream-frames.js";

describe("client role against a scripted gateway", () => {
  it("re-acks a duplicate output frame instead of staying silent (§4.7)", async () => {
    const { t, got } = scriptedClient();
    const frame = output(0, "hi");
    t.inject(frame);
    t.inject(frame);
    assert.deepEqual(got, ["hi"]);
    assert.deepEqual(ackedSeqs(t), [0, 0]);
    const ack = decodedSent(t).find((m) => m.messageType === "acknowledge")!;
    const original = decodeFrame(frame);
    assert.ok(original.ok);
    assert.deepEqual(JSON.parse(Buffer.from(ack.payload).toString()), {
      AcknowledgedMessageType: "output_stream_data",
      AcknowledgedMessageId: original.message.messageId,
      AcknowledgedMessageSequenceNumber: 0,
      IsSequentialMessage: true,
    });
  });

  it("takes start_publication as the very first frame in its stride (pause_publication: adaptive-pacing.test.ts)", async () => {
    const { t, client, got, diagnostics } = scriptedClient();
    t.inject(encodePublicationFrame("start_publication"));
    t.inject(output(0, "$ "));
    await client.ready;
    await client.sendInput(Buffer.from("x"));
    assert.deepEqual(got, ["$ "]);
    assert.equal(decodedSent(t).filter((m) => m.messageType === "input_stream_data").length, 1);
    assert.deepEqual(diagnostics, []);
  });

  it("channel_closed ends the client with the gateway's Output text", async () => {
    const { t, client } = scriptedClient();
    t.inject(
      encodeChannelClosedFrame({
        messageId: "m",
        createdDate: "2024-01-01",
        destinationId: "i-1",
        sessionId: "s-1",
        schemaVersion: 1,
        output: "Encountered error while initiating handshake.",
      }),
    );
    const end = await client.ended;
    assert.deepEqual(end, {
      reason: "channel-closed",
      output: "Encountered error while initiating handshake.",
      sessionId: "s-1",
    });
    await assert.rejects(client.ready, /Encountered error while initiating handshake/);
    assert.equal(t.closed?.code, 1000);
  });

  it("drops an output frame with a bad digest without acking it", () => {
    const { t, got, diagnostics } = scriptedClient();
    const frame = Buffer.from(output(0, "hi"));
    frame[90] = (frame[90] ?? 0) ^ 0xff;
    t.inject(frame);
    assert.deepEqual(got, []);
    assert.deepEqual(ackedSeqs(t), []);
    assert.deepEqual(diagnostics, [
      {
        kind: "dropped",
        reason: "PayloadDigest does not match the payload",
        messageType: "output_stream_data",
      },
    ]);
  });

  it("acks handshake requests before answering them (§5.2)", async () => {
    const { t } = scriptedClient();
    t.inject(
      output(
        0,
        '{"AgentVersion":"3.3.987.0","RequestedClientActions":[{"ActionType":"SessionType","ActionParameters":{"SessionType":"Standard_Stream","Properties":null}}]}',
        5,
      ),
    );
    await settle();
    const sent = decodedSent(t);
    assert.deepEqual(
      sent.map((m) => `${m.messageType}/${m.payloadType}`),
      ["acknowledge/0", "input_stream_data/6"],
    );
  });

  it("fails the channel when a sealed payload does not authenticate", async () => {
    const { t, client } = scriptedClient({
      sessionId: "s",
      targetId: "i",
      generateDataKey: async () => ({ plaintext: new Uint8Array(64), ciphertextBlob: new Uint8Array(1) }),
    });
    t.inject(
      output(
        0,
        '{"AgentVersion":"3.3.987.0","RequestedClientActions":[{"ActionType":"SessionType","ActionParameters":{"SessionType":"Standard_Stream","Properties":null}},{"ActionType":"KMSEncryption","ActionParameters":{"KMSKeyId":"k"}}]}',
        5,
      ),
    );
    await settle();
    t.inject(output(1, '{"HandshakeTimeToComplete":1,"CustomerMessage":""}', 7));
    t.inject(output(2, "not sealed at all, 28+ bytes long", 1));
    const end = await client.ended;
    assert.equal(end.reason, "failed");
    assert.equal(end.error?.name, "PayloadDecryptionError");
  });
});

describe("agent role against a scripted gateway", () => {
  const response =
    '{"ClientVersion":"1.2.764.0","ProcessedClientActions":[{"ActionType":"SessionType","ActionStatus":1,"ActionResult":null,"Error":""}],"Errors":null}';

  it("times out a silent client after 15 s with the agent's message", async () => {
    const clock = new ManualClock();
    const { t, agent } = scriptedAgent({ sessionType: "NonInteractiveCommands", clock });
    clock.advance(14_999);
    await settle();
    assert.equal(t.closed, undefined);
    clock.advance(1);
    const end = await agent.ended;
    assert.equal(end.reason, "failed");
    assert.match(
      end.error?.message ?? "",
      /^Handshake timed out\. Please ensure that you have the latest version/,
    );
  });

  it("acks and discards client data until the handshake completes (§4.4)", async () => {
    const { t, agent, got } = scriptedAgent({ sessionType: "NonInteractiveCommands" });
    t.inject(input(0, "too early"));
    t.inject(input(1, response, 6));
    await agent.ready;
    t.inject(input(2, "in time"));
    assert.deepEqual(got, ["in time"]);
    assert.deepEqual(ackedSeqs(t), [0, 1, 2]);
    const out = decodedSent(t).filter((m) => m.messageType === "output_stream_data");
    assert.deepEqual(
      out.map((m) => [m.sequenceNumber, m.payloadType, m.flags]),
      [
        [0, 5, 1],
        [1, 7, 0],
      ],
    );
  });

  it("honours pause_publication; start_publication or any ack from the client resumes (§4.5)", async () => {
    const clock = new ManualClock();
    const { t, agent } = scriptedAgent({ clock });
    const outputs = () => decodedSent(t).filter((m) => m.messageType === "output_stream_data").length;
    t.inject(encodePublicationFrame("pause_publication"));
    await agent.write(Buffer.from("held"));
    await runFor(clock, 500);
    assert.equal(outputs(), 0, "nothing sent or resent while paused");
    t.inject(encodePublicationFrame("start_publication"));
    assert.equal(outputs(), 1);
    t.inject(encodePublicationFrame("pause_publication"));
    await agent.write(Buffer.from("held again"));
    assert.equal(outputs(), 1);
    t.inject(
      encodeAcknowledgeFrame({
        acknowledgedMessageType: "output_stream_data",
        acknowledgedMessageId: "",
        acknowledgedSequenceNumber: 0,
      }),
    );
    assert.equal(outputs(), 2);
  });

  it("processes a frame with a wrong digest as the agent does, but reports it", () => {
    const { t, got, diagnostics } = scriptedAgent();
    const frame = Buffer.from(input(0, "ls\r"));
    frame.fill(0x41, 80, 112);
    t.inject(frame);
    assert.deepEqual(got, ["ls\r"]);
    assert.equal(diagnostics[0]?.kind, "warning");
  });

  it("fails the session on a wrong challenge answer", async () => {
    const { t, agent } = scriptedAgent({ kms: { keyId: "k", decrypt: async () => new Uint8Array(64) } });
    t.inject(
      input(
        0,
        '{"ClientVersion":"1.2.764.0","ProcessedClientActions":[{"ActionType":"SessionType","ActionStatus":1,"ActionResult":null,"Error":""},{"ActionType":"KMSEncryption","ActionStatus":1,"ActionResult":{"KMSCipherTextKey":"AAAA","KMSCipherTextHash":null},"Error":""}],"Errors":null}',
        6,
      ),
    );
    await settle();
    t.inject(input(1, `{"Challenge":"${Buffer.alloc(92).toString("base64")}"}`, 9));
    const end = await agent.ended;
    assert.match(end.error?.message ?? "", /Encryption challenge does not match/);
  });
});
