import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  encodeAcknowledgeFrame,
  encodeAcknowledgePayload,
  parseAcknowledgePayload,
} from "../../src/codec/acknowledge.js";
import { encodeChannelClosedPayload, parseChannelClosedPayload } from "../../src/codec/channel-closed.js";
import {
  encodeExitCodePayload,
  encodeFlagPayload,
  encodeSizePayload,
  parseExitCodePayload,
  parseFlagPayload,
  parseSizePayload,
} from "../../src/codec/control-payloads.js";
import { decodeFrame } from "../../src/codec/frame.js";
import {
  encodeAgentOpenDataChannel,
  encodeClientOpenDataChannel,
  parseOpenDataChannel,
} from "../../src/codec/open-data-channel.js";

const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");

describe("acknowledge (§4.2)", () => {
  it("writes the JSON fields in Go's order", () => {
    const payload = encodeAcknowledgePayload({
      acknowledgedMessageType: "output_stream_data",
      acknowledgedMessageId: "812ef34f-87bd-449e-a3de-282f478ba6e6",
      acknowledgedSequenceNumber: 7,
    });
    assert.equal(
      text(payload),
      '{"AcknowledgedMessageType":"output_stream_data","AcknowledgedMessageId":"812ef34f-87bd-449e-a3de-282f478ba6e6","AcknowledgedMessageSequenceNumber":7,"IsSequentialMessage":true}',
    );
  });

  it("frames it with seq 0, Flags SYN|FIN and PayloadType 0", () => {
    const frame = Buffer.from(
      encodeAcknowledgeFrame(
        { acknowledgedMessageType: "x", acknowledgedMessageId: "", acknowledgedSequenceNumber: 3 },
        1,
      ),
    );
    assert.equal(frame.toString("latin1", 4, 36), "acknowledge".padEnd(32, " "));
    assert.equal(frame.readBigInt64BE(48), 0n);
    assert.equal(frame.readBigUInt64BE(56), 3n);
    assert.equal(frame.readUInt32BE(112), 0);
  });

  it("reads the sequence number and tolerates missing id/type", () => {
    const r = parseAcknowledgePayload(Buffer.from('{"AcknowledgedMessageSequenceNumber":42}'));
    assert.deepEqual(r, {
      ok: true,
      value: { acknowledgedMessageType: "", acknowledgedMessageId: "", acknowledgedSequenceNumber: 42 },
    });
  });

  it("rejects JSON without an integer sequence number, and non-JSON", () => {
    assert.equal(parseAcknowledgePayload(Buffer.from('{"AcknowledgedMessageSequenceNumber":"4"}')).ok, false);
    assert.equal(parseAcknowledgePayload(Buffer.from('{"AcknowledgedMessageSequenceNumber":1.5}')).ok, false);
    assert.equal(parseAcknowledgePayload(Buffer.from("[1]")).ok, false);
    assert.equal(parseAcknowledgePayload(Buffer.from("{")).ok, false);
  });
});

describe("OpenDataChannel text frame (§1.5)", () => {
  it("client frame has the five fields in order", () => {
    assert.equal(
      encodeClientOpenDataChannel({
        token: "AAEAA-token",
        clientId: "2b1e0000-0000-4000-8000-000000000001",
        clientVersion: "1.2.764.0",
        requestId: "6f0c0000-0000-4000-8000-000000000002",
      }),
      '{"MessageSchemaVersion":"1.0","RequestId":"6f0c0000-0000-4000-8000-000000000002","TokenValue":"AAEAA-token","ClientId":"2b1e0000-0000-4000-8000-000000000001","ClientVersion":"1.2.764.0"}',
    );
  });

  it("agent frame carries ClientInstanceId instead of ClientVersion", () => {
    assert.equal(
      encodeAgentOpenDataChannel({
        token: "t",
        clientId: "c",
        instanceId: "i-0123456789abcdef0",
        requestId: "r",
      }),
      '{"MessageSchemaVersion":"1.0","RequestId":"r","TokenValue":"t","ClientId":"c","ClientInstanceId":"i-0123456789abcdef0"}',
    );
  });

  it("parses old clients that omit ClientId/ClientVersion, and refuses a missing token", () => {
    const old = parseOpenDataChannel('{"MessageSchemaVersion":"1.0","RequestId":"r","TokenValue":"t"}');
    assert.deepEqual(old, {
      ok: true,
      value: { MessageSchemaVersion: "1.0", RequestId: "r", TokenValue: "t" },
    });
    assert.equal(parseOpenDataChannel('{"MessageSchemaVersion":"1.0"}').ok, false);
    assert.equal(parseOpenDataChannel("not json").ok, false);
  });
});

describe("channel_closed (§7.6)", () => {
  it("writes MGS's field order and reads Output back", () => {
    const payload = encodeChannelClosedPayload({
      messageId: "m",
      createdDate: "2024-01-01T00:00:00Z",
      destinationId: "i-1",
      sessionId: "alice-0123",
      schemaVersion: 1,
      output: "boom",
    });
    assert.equal(
      text(payload),
      '{"MessageId":"m","CreatedDate":"2024-01-01T00:00:00Z","DestinationId":"i-1","SessionId":"alice-0123","MessageType":"channel_closed","SchemaVersion":1,"Output":"boom"}',
    );
    const parsed = parseChannelClosedPayload(payload);
    assert.equal(parsed.ok && parsed.value.output, "boom");
  });

  it("reads the agent's copy without Output as an empty Output", () => {
    const parsed = parseChannelClosedPayload(Buffer.from('{"SessionId":"s","SchemaVersion":1}'));
    assert.deepEqual(parsed.ok && [parsed.value.sessionId, parsed.value.output], ["s", ""]);
  });
});

describe("Flag, Size and ExitCode payloads (§3.3, §7.1)", () => {
  it("flags are 4 big-endian bytes", () => {
    assert.deepEqual([...encodeFlagPayload(1)], [0, 0, 0, 1]);
    assert.deepEqual([...encodeFlagPayload(2)], [0, 0, 0, 2]);
    assert.deepEqual([...encodeFlagPayload(3)], [0, 0, 0, 3]);
    assert.deepEqual(parseFlagPayload(Buffer.from([0, 0, 0, 2])), { ok: true, value: 2 });
    assert.equal(parseFlagPayload(Buffer.from([0, 0, 2])).ok, false);
    assert.equal(parseFlagPayload(Buffer.from([0, 0, 0, 0, 2])).ok, false);
  });

  it("size is lower-case cols/rows JSON", () => {
    assert.equal(text(encodeSizePayload({ cols: 80, rows: 24 })), '{"cols":80,"rows":24}');
    assert.deepEqual(parseSizePayload(Buffer.from('{"cols":132,"rows":43}')), {
      ok: true,
      value: { cols: 132, rows: 43 },
    });
    assert.equal(parseSizePayload(Buffer.from('{"cols":-1,"rows":43}')).ok, false);
    assert.equal(parseSizePayload(Buffer.from('{"Cols":80,"Rows":24}')).ok, false);
    assert.throws(() => encodeSizePayload({ cols: 1.5, rows: 2 }), RangeError);
  });

  it('exit code is ASCII "EXIT_CODE: n"', () => {
    assert.equal(text(encodeExitCodePayload(3)), "EXIT_CODE: 3");
    assert.deepEqual(parseExitCodePayload(Buffer.from("EXIT_CODE: 3")), { ok: true, value: 3 });
    assert.deepEqual(parseExitCodePayload(Buffer.from("EXIT_CODE: -1\n")), { ok: true, value: -1 });
    assert.equal(parseExitCodePayload(Buffer.from("EXIT: 3")).ok, false);
    assert.equal(parseExitCodePayload(Buffer.from("EXIT_CODE: three")).ok, false);
  });

  it("an encoded ack frame decodes with its digest valid", () => {
    const r = decodeFrame(
      encodeAcknowledgeFrame({
        acknowledgedMessageType: "t",
        acknowledgedMessageId: "i",
        acknowledgedSequenceNumber: 1,
      }),
    );
    assert.equal(r.ok, true);
  });
});
