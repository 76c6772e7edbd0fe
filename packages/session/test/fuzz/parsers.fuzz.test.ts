import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ManualClock } from "../../src/clock.js";
import { parseAcknowledgePayload } from "../../src/codec/acknowledge.js";
import { parseChannelClosedPayload } from "../../src/codec/channel-closed.js";
import {
  parseAgentSessionState,
  parseExitCodePayload,
  parseFlagPayload,
  parseSizePayload,
} from "../../src/codec/control-payloads.js";
import { decodeFrame, encodeFrame, sha256 } from "../../src/codec/frame.js";
import { parseOpenDataChannel } from "../../src/codec/open-data-channel.js";
import {
  parseEncryptionChallenge,
  parseHandshakeComplete,
  parseHandshakeRequest,
  parseHandshakeResponse,
} from "../../src/handshake/messages.js";
import { openAgentDataChannel } from "../../src/session/agent-data-channel.js";
import { openClientDataChannel } from "../../src/session/client-data-channel.js";
import type { DataChannelTuning } from "../../src/session/data-channel-core.js";
import { ScriptedTransport } from "../support/memory-transport.js";

const MESSAGE_TYPES = [
  "input_stream_data",
  "output_stream_data",
  "acknowledge",
  "channel_closed",
  "start_publication",
  "pause_publication",
  "agent_session_state",
  "interactive_shell",
];

/** Payloads that look like what the protocol carries, so the fuzz reaches past JSON.parse. */
const payloadArb = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
  fc
    .record({
      AcknowledgedMessageSequenceNumber: fc.oneof(fc.integer({ min: -3, max: 40 }), fc.string(), fc.double()),
      AcknowledgedMessageType: fc.constantFrom(...MESSAGE_TYPES),
    })
    .map((v) => Buffer.from(JSON.stringify(v))),
  fc
    .record({
      AgentVersion: fc.string(),
      RequestedClientActions: fc.array(
        fc.record({
          ActionType: fc.constantFrom("SessionType", "KMSEncryption", "Other"),
          ActionParameters: fc.oneof(
            fc.constant(null),
            fc.record({
              SessionType: fc.constantFrom("Standard_Stream", "Port", "x"),
              Properties: fc.jsonValue(),
            }),
            fc.record({ KMSKeyId: fc.string(), Challenge: fc.base64String() }),
          ),
        }),
        { maxLength: 3 },
      ),
    })
    .map((v) => Buffer.from(JSON.stringify(v))),
  fc
    .record({
      ClientVersion: fc.string(),
      ProcessedClientActions: fc.array(
        fc.record({
          ActionType: fc.constantFrom("SessionType", "KMSEncryption"),
          ActionStatus: fc.integer({ min: 0, max: 4 }),
          ActionResult: fc.oneof(fc.constant(null), fc.record({ KMSCipherTextKey: fc.base64String() })),
          Error: fc.string(),
        }),
        { maxLength: 3 },
      ),
      Errors: fc.constant(null),
    })
    .map((v) => Buffer.from(JSON.stringify(v))),
  fc.base64String().map((c) => Buffer.from(JSON.stringify({ Challenge: c }))),
  fc.integer({ min: -5, max: 300 }).map((n) => Buffer.from(`EXIT_CODE: ${n}`)),
);

const frameArb = fc
  .record({
    // Mostly stream data and acks, so runs get deep into the streams before a rare channel_closed ends them.
    messageType: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom("input_stream_data", "output_stream_data") },
      { weight: 4, arbitrary: fc.constant("acknowledge") },
      { weight: 1, arbitrary: fc.constantFrom(...MESSAGE_TYPES) },
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 32, unit: "grapheme-ascii" }) },
    ),
    sequenceNumber: fc.oneof(
      { weight: 5, arbitrary: fc.integer({ min: 0, max: 12 }) },
      fc.integer({ min: -3, max: 2 ** 40 }),
    ),
    flags: fc.integer({ min: 0, max: 3 }),
    payloadType: fc.integer({ min: 0, max: 14 }),
    payload: payloadArb,
  })
  .filter((f) => f.messageType.trim().length > 0)
  .map((f) => encodeFrame(f));

/** A valid frame, then random byte overwrites, truncation or extension. */
const mutatedFrameArb = fc
  .tuple(
    frameArb,
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
    fc.option(fc.nat(), { nil: undefined }),
    fc.uint8Array({ maxLength: 8 }),
  )
  .map(([frame, edits, cut, tail]) => {
    const bytes = Buffer.from(frame);
    for (const [at, value] of edits) bytes[at % bytes.length] = value;
    const cutAt = cut === undefined ? bytes.length : cut % (bytes.length + 1);
    return Buffer.concat([bytes.subarray(0, cutAt), tail]);
  });

const anyInboundArb = fc.oneof(
  { weight: 3, arbitrary: frameArb },
  { weight: 4, arbitrary: mutatedFrameArb },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }) },
  { weight: 1, arbitrary: fc.string() },
);

const TUNING: DataChannelTuning = { maxBufferedFrames: 8, maxBufferedBytes: 2048, maxFrameBytes: 4096 };

describe("fuzz: frame decoder", () => {
  it("never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const r = decodeFrame(bytes);
        assert.equal(typeof r.ok, "boolean");
        if (!r.ok) assert.equal(typeof r.reason, "string");
      }),
      { numRuns: 500 },
    );
  });

  it("on mutated frames: never throws, and whatever it accepts under enforce has a true digest", () => {
    fc.assert(
      fc.property(mutatedFrameArb, (bytes) => {
        const r = decodeFrame(bytes);
        if (!r.ok) return;
        const m = r.message;
        if (m.messageType === "start_publication" || m.messageType === "pause_publication") return;
        assert.notEqual(m.messageType, "");
        assert.notEqual(m.createdDate, 0);
        if (m.payloadLength !== 0)
          assert.deepEqual(Buffer.from(sha256(m.payload)), Buffer.from(m.payloadDigest));
      }),
      { numRuns: 1000 },
    );
  });

  it("payload parsers never throw on arbitrary input", () => {
    const parsers = [
      parseAcknowledgePayload,
      parseChannelClosedPayload,
      parseFlagPayload,
      parseSizePayload,
      parseExitCodePayload,
      parseAgentSessionState,
      parseHandshakeRequest,
      parseHandshakeResponse,
      parseHandshakeComplete,
      parseEncryptionChallenge,
    ];
    fc.assert(
      fc.property(payloadArb, (payload) => {
        for (const parse of parsers) assert.equal(typeof parse(payload).ok, "boolean");
        assert.equal(typeof parseOpenDataChannel(Buffer.from(payload).toString("utf8")).ok, "boolean");
      }),
      { numRuns: 500 },
    );
  });
});

describe("fuzz: both roles fed random and mutated frames", () => {
  for (const role of ["client", "agent"] as const) {
    it(`${role}: no throw escapes, malformed frames get no reply, buffers stay bounded`, async () => {
      // Guards against a fuzz that never gets past the first frame: stream messages must really be taken.
      let acksSent = 0;
      let buffered = 0;
      const property = fc.asyncProperty(
        fc.array(anyInboundArb, { minLength: 5, maxLength: 60, size: "max" }),
        async (inbound) => {
          const t = new ScriptedTransport();
          const clock = new ManualClock();
          const channel =
            role === "client"
              ? openClientDataChannel({
                  transport: t,
                  token: "t",
                  sessionId: "s",
                  targetId: "i",
                  clock,
                  tuning: TUNING,
                  generateDataKey: async () => ({
                    plaintext: new Uint8Array(64),
                    ciphertextBlob: new Uint8Array(4),
                  }),
                })
              : openAgentDataChannel({
                  transport: t,
                  sessionId: "s",
                  targetId: "i",
                  sessionType: "Standard_Stream",
                  clock,
                  tuning: TUNING,
                  kms: { keyId: "k", decrypt: async () => new Uint8Array(64) },
                });
          const digestPolicy = role === "client" ? undefined : () => "warn" as const;
          for (const data of inbound) {
            const before = t.sent.length;
            t.inject(data); // a throw here fails the property
            if (typeof data !== "string") {
              const decoded = decodeFrame(data, {
                maxFrameBytes: TUNING.maxFrameBytes!,
                ...(digestPolicy === undefined
                  ? {
                      digestPolicy: (type: string) =>
                        ["output_stream_data", "acknowledge", "channel_closed"].includes(type)
                          ? "enforce"
                          : "warn",
                    }
                  : { digestPolicy }),
              });
              if (!decoded.ok)
                assert.equal(t.sent.length, before, "a malformed frame is dropped without a reply");
            }
            const stats = channel.stats();
            buffered = Math.max(buffered, stats.incoming.bufferedFrames);
            assert.ok(stats.incoming.bufferedFrames <= TUNING.maxBufferedFrames!);
            assert.ok(stats.incoming.bufferedBytes <= TUNING.maxBufferedBytes!);
            clock.advance(50);
          }
          await new Promise((resolve) => setImmediate(resolve));
          acksSent += t.binary.filter(
            (f) => Buffer.from(f).toString("latin1", 4, 15) === "acknowledge",
          ).length;
          channel.close();
          const end = await channel.ended;
          assert.ok(["closed", "failed", "channel-closed", "transport-closed"].includes(end.reason));
          if (end.reason === "failed") assert.ok(end.error?.hint, "failures are typed errors with a hint");
        },
      );
      // The bound is reached by chance: random batches run until it has been (at most 8), so an unlucky
      // draw does not fail the guard, while a generator that cannot reach the bound still does.
      for (let batch = 0; batch < 8 && (batch === 0 || buffered < TUNING.maxBufferedFrames!); batch++) {
        await fc.assert(property, { numRuns: 150 });
      }
      assert.ok(acksSent > 100, `the fuzz reached the streams (${acksSent} acks sent)`);
      assert.equal(buffered, TUNING.maxBufferedFrames, "the out-of-order buffer was driven to its bound");
    });
  }
});
