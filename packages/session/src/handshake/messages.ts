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

/**
 * Go's declaration order of the action structs: encoding/json writes fields in it, and so do we. Only these
 * fields are written, whatever else an action object carries.
 */
const REQUESTED_ACTION_FIELDS = ["ActionType", "ActionParameters"] as const;
const PROCESSED_ACTION_FIELDS = ["ActionType", "ActionStatus", "ActionResult", "Error"] as const;

function inGoOrder<T, K extends keyof T>(value: T, fields: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const field of fields) out[field] = value[field];
  return out;
}

export function encodeHandshakeRequest(request: HandshakeRequest): Uint8Array {
  return jsonBytes({
    AgentVersion: request.AgentVersion,
    RequestedClientActions: request.RequestedClientActions.map((a) => inGoOrder(a, REQUESTED_ACTION_FIELDS)),
  });
}

export function encodeHandshakeResponse(response: HandshakeResponse): Uint8Array {
  return jsonBytes({
    ClientVersion: response.ClientVersion,
    ProcessedClientActions: response.ProcessedClientActions.map((a) => inGoOrder(a, PROCESSED_ACTION_FIELDS)),
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

/** An action object of either list: an object whose ActionType is a string. */
type ActionObject = Record<string, unknown> & { ActionType: string };

/**
 * The two handshake payloads that carry an action list, parsed alike: a JSON object, its list under
 * `listField`, each item an object with an ActionType (checked in that order), then `parseOne` per item.
 */
function parseWithActions<T>(
  payload: Uint8Array,
  what: string,
  listField: string,
  parseOne: (item: ActionObject) => T,
): Parsed<{ json: Record<string, unknown>; actions: T[] }> {
  const json = parseJsonObject(payload, what);
  if (!json.ok) return json;
  const list = json.value[listField];
  if (!Array.isArray(list)) return parseFailure(`${listField} is not an array`);
  const actions: T[] = [];
  for (const [index, item] of list.entries()) {
    if (item === null || typeof item !== "object" || Array.isArray(item))
      return parseFailure(`${listField}[${index}] is not an object`);
    const action = item as Record<string, unknown>;
    if (typeof action.ActionType !== "string")
      return parseFailure(`${listField}[${index}] has no ActionType`);
    actions.push(parseOne(action as ActionObject));
  }
  return parsedValue({ json: json.value, actions });
}

export function parseHandshakeRequest(payload: Uint8Array): Parsed<HandshakeRequest> {
  const parsed = parseWithActions<RequestedClientAction>(
    payload,
    "HandshakeRequest",
    "RequestedClientActions",
    (item) => ({ ActionType: item.ActionType, ActionParameters: item.ActionParameters ?? null }),
  );
  if (!parsed.ok) return parsed;
  const agentVersion = parsed.value.json.AgentVersion;
  return parsedValue({
    AgentVersion: typeof agentVersion === "string" ? agentVersion : "",
    RequestedClientActions: parsed.value.actions,
  });
}

export function parseHandshakeResponse(payload: Uint8Array): Parsed<HandshakeResponse> {
  const parsed = parseWithActions<ProcessedClientAction>(
    payload,
    "HandshakeResponse",
    "ProcessedClientActions",
    (item) => ({
      ActionType: item.ActionType,
      ActionStatus: typeof item.ActionStatus === "number" ? item.ActionStatus : 0,
      ActionResult: item.ActionResult ?? null,
      Error: typeof item.Error === "string" ? item.Error : "",
    }),
  );
  if (!parsed.ok) return parsed;
  const { json, actions } = parsed.value;
  const errors = json.Errors;
  return parsedValue({
    ClientVersion: typeof json.ClientVersion === "string" ? json.ClientVersion : "",
    ProcessedClientActions: actions,
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
