// The handshake payloads (§5.3–§5.6) as types, their JSON (fields in the order Go emits them), and parsers.

import { jsonBytes, type Parsed, parsedValue, parseFailure, parseJsonObject } from "../codec/parsed.js";
import { ActionType } from "../constants.js";

export interface RequestedClientAction {
  ActionType: string;
  ActionParameters: unknown;
}

export interface HandshakeRequest {
  AgentVersion: string;
  RequestedClientActions: RequestedClientAction[];
}

export interface SessionTypeParameters {
  SessionType: string;
  Properties: unknown;
}

export interface KmsEncryptionParameters {
  KMSKeyId: string;
  /** Base64 of 16 random bytes; sent by agents ≥ 3.3.808.0 (§5.3). */
  Challenge?: string;
}

export interface ProcessedClientAction {
  ActionType: string;
  ActionStatus: number;
  ActionResult: unknown;
  Error: string;
}

export interface HandshakeResponse {
  ClientVersion: string;
  ProcessedClientActions: ProcessedClientAction[];
  Errors: string[] | null;
}

export interface KmsEncryptionResult {
  KMSCipherTextKey: string;
  KMSCipherTextHash: null;
  ChallengeAcknowledgement?: boolean;
}

export interface HandshakeComplete {
  /** Nanoseconds (a Go duration). */
  HandshakeTimeToComplete: number;
  CustomerMessage: string;
}

export interface EncryptionChallenge {
  /** Standard base64 with padding of `nonce ‖ ciphertext ‖ tag`. */
  Challenge: string;
}

export function encodeHandshakeRequest(request: HandshakeRequest): Uint8Array {
  return jsonBytes({
    AgentVersion: request.AgentVersion,
    RequestedClientActions: request.RequestedClientActions.map((a) => ({
      ActionType: a.ActionType,
      ActionParameters: a.ActionParameters,
    })),
  });
}

export function encodeHandshakeResponse(response: HandshakeResponse): Uint8Array {
  return jsonBytes({
    ClientVersion: response.ClientVersion,
    ProcessedClientActions: response.ProcessedClientActions.map((a) => ({
      ActionType: a.ActionType,
      ActionStatus: a.ActionStatus,
      ActionResult: a.ActionResult,
      Error: a.Error,
    })),
    Errors: response.Errors,
  });
}

export function encodeHandshakeComplete(complete: HandshakeComplete): Uint8Array {
  return jsonBytes({
    HandshakeTimeToComplete: complete.HandshakeTimeToComplete,
    CustomerMessage: complete.CustomerMessage,
  });
}

export function encodeEncryptionChallenge(challenge: EncryptionChallenge): Uint8Array {
  return jsonBytes({ Challenge: challenge.Challenge });
}

function parseActions<T>(
  list: unknown,
  what: string,
  parseOne: (item: Record<string, unknown>, index: number) => Parsed<T>,
): Parsed<T[]> {
  if (!Array.isArray(list)) return parseFailure(`${what} is not an array`);
  const out: T[] = [];
  for (const [index, item] of list.entries()) {
    if (item === null || typeof item !== "object" || Array.isArray(item))
      return parseFailure(`${what}[${index}] is not an object`);
    const one = parseOne(item as Record<string, unknown>, index);
    if (!one.ok) return one;
    out.push(one.value);
  }
  return parsedValue(out);
}

export function parseHandshakeRequest(payload: Uint8Array): Parsed<HandshakeRequest> {
  const json = parseJsonObject(payload, "HandshakeRequest");
  if (!json.ok) return json;
  const actions = parseActions<RequestedClientAction>(
    json.value.RequestedClientActions,
    "RequestedClientActions",
    (item, i) =>
      typeof item.ActionType === "string"
        ? parsedValue({ ActionType: item.ActionType, ActionParameters: item.ActionParameters ?? null })
        : parseFailure(`RequestedClientActions[${i}] has no ActionType`),
  );
  if (!actions.ok) return actions;
  const agentVersion = json.value.AgentVersion;
  return parsedValue({
    AgentVersion: typeof agentVersion === "string" ? agentVersion : "",
    RequestedClientActions: actions.value,
  });
}

export function parseHandshakeResponse(payload: Uint8Array): Parsed<HandshakeResponse> {
  const json = parseJsonObject(payload, "HandshakeResponse");
  if (!json.ok) return json;
  const actions = parseActions<ProcessedClientAction>(
    json.value.ProcessedClientActions,
    "ProcessedClientActions",
    (item, i) => {
      if (typeof item.ActionType !== "string")
        return parseFailure(`ProcessedClientActions[${i}] has no ActionType`);
      return parsedValue({
        ActionType: item.ActionType,
        ActionStatus: typeof item.ActionStatus === "number" ? item.ActionStatus : 0,
        ActionResult: item.ActionResult ?? null,
        Error: typeof item.Error === "string" ? item.Error : "",
      });
    },
  );
  if (!actions.ok) return actions;
  const errors = json.value.Errors;
  return parsedValue({
    ClientVersion: typeof json.value.ClientVersion === "string" ? json.value.ClientVersion : "",
    ProcessedClientActions: actions.value,
    Errors: Array.isArray(errors) ? errors.filter((e): e is string => typeof e === "string") : null,
  });
}

export function parseHandshakeComplete(payload: Uint8Array): Parsed<HandshakeComplete> {
  const json = parseJsonObject(payload, "HandshakeComplete");
  if (!json.ok) return json;
  const { HandshakeTimeToComplete, CustomerMessage } = json.value;
  return parsedValue({
    HandshakeTimeToComplete: typeof HandshakeTimeToComplete === "number" ? HandshakeTimeToComplete : 0,
    CustomerMessage: typeof CustomerMessage === "string" ? CustomerMessage : "",
  });
}

export function parseEncryptionChallenge(payload: Uint8Array): Parsed<Uint8Array> {
  const json = parseJsonObject(payload, "encryption challenge");
  if (!json.ok) return json;
  const { Challenge } = json.value;
  if (
    typeof Challenge !== "string" ||
    !/^[A-Za-z0-9+/]*={0,2}$/.test(Challenge) ||
    Challenge.length % 4 !== 0
  )
    return parseFailure("encryption challenge has no base64 Challenge");
  return parsedValue(Buffer.from(Challenge, "base64"));
}

/** The SessionType action's parameters, if the action is one and well formed. */
export function sessionTypeParameters(action: RequestedClientAction): SessionTypeParameters | undefined {
  if (action.ActionType !== ActionType.SessionType) return undefined;
  const p = action.ActionParameters as Record<string, unknown> | null;
  if (p === null || typeof p !== "object" || typeof p.SessionType !== "string") return undefined;
  return { SessionType: p.SessionType, Properties: p.Properties ?? null };
}

export function kmsEncryptionParameters(action: RequestedClientAction): KmsEncryptionParameters | undefined {
  if (action.ActionType !== ActionType.KMSEncryption) return undefined;
  const p = action.ActionParameters as Record<string, unknown> | null;
  if (p === null || typeof p !== "object" || typeof p.KMSKeyId !== "string" || p.KMSKeyId === "")
    return undefined;
  return typeof p.Challenge === "string"
    ? { KMSKeyId: p.KMSKeyId, Challenge: p.Challenge }
    : { KMSKeyId: p.KMSKeyId };
}
