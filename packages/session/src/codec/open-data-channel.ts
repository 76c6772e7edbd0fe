// The first WebSocket frame (§1.5): a text JSON that presents the token; client and agent variants.

import { randomUUID } from "node:crypto";
import { VERSIONS } from "../constants.js";
import { type Parsed, parsedValue, parseFailure, parseJsonObject } from "./parsed.js";

export interface OpenDataChannelInput {
  MessageSchemaVersion: string;
  RequestId: string;
  TokenValue: string;
  ClientId?: string;
  /** Sent by the client (plugin ≥ 1.2.677.0). */
  ClientVersion?: string;
  /** Sent by the agent instead of ClientVersion. */
  ClientInstanceId?: string;
}

export interface ClientOpenOptions {
  token: string;
  clientId: string;
  clientVersion?: string;
  requestId?: string;
}

/** The client's text frame: a fresh RequestId per open, the same ClientId across reconnects. */
export function encodeClientOpenDataChannel(options: ClientOpenOptions): string {
  return encodeOpenDataChannel(options, {
    ClientVersion: options.clientVersion ?? VERSIONS.defaultClientVersion,
  });
}

export interface AgentOpenOptions {
  token: string;
  clientId: string;
  instanceId: string;
  requestId?: string;
}

export function encodeAgentOpenDataChannel(options: AgentOpenOptions): string {
  return encodeOpenDataChannel(options, { ClientInstanceId: options.instanceId });
}

/** Both roles' frame: the shared fields in the wire's order, then the one field that names the sender. */
function encodeOpenDataChannel(
  options: { token: string; clientId: string; requestId?: string },
  sender: Pick<OpenDataChannelInput, "ClientVersion"> | Pick<OpenDataChannelInput, "ClientInstanceId">,
): string {
  const input: OpenDataChannelInput = {
    MessageSchemaVersion: VERSIONS.openDataChannelSchema,
    RequestId: options.requestId ?? randomUUID(),
    TokenValue: options.token,
    ClientId: options.clientId,
    ...sender,
  };
  return JSON.stringify(input);
}

/** For the gateway: the open frame's fields, or why it is not one. Only TokenValue is required (§1.5). */
export function parseOpenDataChannel(text: string): Parsed<OpenDataChannelInput> {
  const json = parseJsonObject(text, "OpenDataChannel frame");
  if (!json.ok) return json;
  const v = json.value;
  if (typeof v.TokenValue !== "string" || v.TokenValue === "")
    return parseFailure("OpenDataChannel frame has no TokenValue");
  const optionalString = (key: string): string | undefined =>
    typeof v[key] === "string" ? v[key] : undefined;
  const result: OpenDataChannelInput = {
    MessageSchemaVersion: optionalString("MessageSchemaVersion") ?? "",
    RequestId: optionalString("RequestId") ?? "",
    TokenValue: v.TokenValue,
  };
  for (const key of ["ClientId", "ClientVersion", "ClientInstanceId"] as const) {
    const value = optionalString(key);
    if (value !== undefined) result[key] = value;
  }
  return parsedValue(result);
}
