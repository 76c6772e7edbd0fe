// Stream frames as a test injects them into a channel, and what a channel sent, read back: data frames of
// either direction, the decoded frames sent, and the sequence numbers acknowledged.

import { type ClientMessage, decodeFrame, encodeFrame } from "../../src/codec/frame.js";
import type { ScriptedTransport } from "./memory-transport.js";

/** An agent → client stream frame (sequence 0 carries SYN, as the agent sends it). */
export const output = (seq: number, payload: string, payloadType = 1) =>
  encodeFrame({
    messageType: "output_stream_data",
    sequenceNumber: seq,
    flags: seq === 0 ? 1 : 0,
    payloadType,
    payload: Buffer.from(payload),
  });

/** A client → agent stream frame. */
export const input = (seq: number, payload: string, payloadType = 1) =>
  encodeFrame({
    messageType: "input_stream_data",
    sequenceNumber: seq,
    flags: 0,
    payloadType,
    payload: Buffer.from(payload),
  });

/** The binary frames the channel sent, decoded. */
export function decodedSent(t: ScriptedTransport): ClientMessage[] {
  return t.binary.flatMap((f) => {
    const r = decodeFrame(f);
    return r.ok ? [r.message] : [];
  });
}

/** The sequence numbers the channel acknowledged, in order. */
export const ackedSeqs = (t: ScriptedTransport) =>
  decodedSent(t)
    .filter((m) => m.messageType === "acknowledge")
    .map((m) => JSON.parse(Buffer.from(m.payload).toString()).AcknowledgedMessageSequenceNumber as number);
