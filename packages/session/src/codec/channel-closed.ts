// channel_closed (§7.6): MGS tells a side the session ended, with an optional error text in `Output`.

import { MessageType, PayloadType } from "../constants.js";
import { encodeFrame } from "./frame.js";
import { jsonBytes, type Parsed, parsedValue, parseJsonObject } from "./parsed.js";

export interface ChannelClosedContent {
  messageId: string;
  /** A string in MGS's JSON. */
  createdDate: string;
  destinationId: string;
  sessionId: string;
  schemaVersion: number;
  /** Empty on a normal end; the error text otherwise. */
  output: string;
}

export function encodeChannelClosedPayload(content: ChannelClosedContent): Uint8Array {
  return jsonBytes({
    MessageId: content.messageId,
    CreatedDate: content.createdDate,
    DestinationId: content.destinationId,
    SessionId: content.sessionId,
    MessageType: MessageType.ChannelClosed,
    SchemaVersion: content.schemaVersion,
    Output: content.output,
  });
}

/**
 * For the gateway. MGS's header Flags and PayloadType are UNVERIFIED (§13; 261 was seen): both are options,
 * 0 by default, and this package's reader accepts any value.
 */
export function encodeChannelClosedFrame(
  content: ChannelClosedContent,
  header: { payloadType?: number; flags?: number; createdDate?: number } = {},
): Uint8Array {
  return encodeFrame({
    messageType: MessageType.ChannelClosed,
    sequenceNumber: 0,
    flags: header.flags ?? 0,
    payloadType: header.payloadType ?? PayloadType.None,
    payload: encodeChannelClosedPayload(content),
    ...(header.createdDate === undefined ? {} : { createdDate: header.createdDate }),
  });
}

/** Lenient: missing fields read as empty, since only `Output` and `SessionId` matter to the client. */
export function parseChannelClosedPayload(payload: Uint8Array): Parsed<ChannelClosedContent> {
  if (payload.length === 0)
    return parsedValue({
      messageId: "",
      createdDate: "",
      destinationId: "",
      sessionId: "",
      schemaVersion: 1,
      output: "",
    });
  const json = parseJsonObject(payload, "channel_closed payload");
  if (!json.ok) return json;
  const v = json.value;
  const text = (key: string): string => (typeof v[key] === "string" ? (v[key] as string) : "");
  return parsedValue({
    messageId: text("MessageId"),
    createdDate: typeof v.CreatedDate === "number" ? String(v.CreatedDate) : text("CreatedDate"),
    destinationId: text("DestinationId"),
    sessionId: text("SessionId"),
    schemaVersion: typeof v.SchemaVersion === "number" ? v.SchemaVersion : 1,
    output: text("Output"),
  });
}
