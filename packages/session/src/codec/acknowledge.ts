// The acknowledge message (§4.2): JSON payload naming the acked frame, sent with seq 0 and Flags SYN|FIN.

import { FrameFlags, MessageType, PayloadType } from "../constants.js";
import { encodeFrame } from "./frame.js";
import { jsonBytes, type Parsed, parsedValue, parseFailure, parseJsonObject } from "./parsed.js";

export interface AcknowledgeContent {
  acknowledgedMessageType: string;
  acknowledgedMessageId: string;
  acknowledgedSequenceNumber: number;
}

/** The JSON payload, fields in the order Go emits them. */
export function encodeAcknowledgePayload(content: AcknowledgeContent): Uint8Array {
  return jsonBytes({
    AcknowledgedMessageType: content.acknowledgedMessageType,
    AcknowledgedMessageId: content.acknowledgedMessageId,
    AcknowledgedMessageSequenceNumber: content.acknowledgedSequenceNumber,
    IsSequentialMessage: true,
  });
}

export function encodeAcknowledgeFrame(content: AcknowledgeContent, createdDate?: number): Uint8Array {
  return encodeFrame({
    messageType: MessageType.Acknowledge,
    sequenceNumber: 0,
    flags: FrameFlags.SynFin,
    payloadType: PayloadType.None,
    payload: encodeAcknowledgePayload(content),
    ...(createdDate === undefined ? {} : { createdDate }),
  });
}

/** Receivers match only on the sequence number (§4.2); type and id are read when present. */
export function parseAcknowledgePayload(payload: Uint8Array): Parsed<AcknowledgeContent> {
  const json = parseJsonObject(payload, "acknowledge payload");
  if (!json.ok) return json;
  const seq = json.value.AcknowledgedMessageSequenceNumber;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq))
    return parseFailure("acknowledge payload has no integer AcknowledgedMessageSequenceNumber");
  const type = json.value.AcknowledgedMessageType;
  const id = json.value.AcknowledgedMessageId;
  return parsedValue({
    acknowledgedMessageType: typeof type === "string" ? type : "",
    acknowledgedMessageId: typeof id === "string" ? id : "",
    acknowledgedSequenceNumber: seq,
  });
}
