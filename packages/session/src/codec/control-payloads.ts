// Small fixed-shape payloads: Flag (§3.3), terminal Size (§7.1), ExitCode (§7.1), agent_session_state,
// and the MGS publication frames (§4.5).

import { EXIT_CODE_PREFIX, FrameFlags, MessageType, PayloadType } from "../constants.js";
import { encodeFrame } from "./frame.js";
import { jsonBytes, type Parsed, parsedValue, parseFailure, parseJsonObject } from "./parsed.js";

const UINT32_MAX = 0xffff_ffff;

/** Flag payload: exactly 4 bytes, big-endian uint32. */
export function encodeFlagPayload(flag: number): Uint8Array {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(flag);
  return bytes;
}

export function parseFlagPayload(payload: Uint8Array): Parsed<number> {
  if (payload.length !== 4) return parseFailure(`a Flag payload is 4 bytes, got ${payload.length}`);
  return parsedValue(Buffer.from(payload).readUInt32BE(0));
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

function isUint32(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= UINT32_MAX;
}

/** `{"cols":…,"rows":…}` with lower-case keys. */
export function encodeSizePayload(size: TerminalSize): Uint8Array {
  if (!isUint32(size.cols) || !isUint32(size.rows))
    throw new RangeError(`terminal size must be two uint32 values, got ${size.cols}×${size.rows}`);
  return jsonBytes({ cols: size.cols, rows: size.rows });
}

export function parseSizePayload(payload: Uint8Array): Parsed<TerminalSize> {
  const json = parseJsonObject(payload, "Size payload");
  if (!json.ok) return json;
  const { cols, rows } = json.value;
  if (!isUint32(cols) || !isUint32(rows)) return parseFailure("Size payload needs uint32 cols and rows");
  return parsedValue({ cols, rows });
}

/** ASCII `EXIT_CODE: <n>`. */
export function encodeExitCodePayload(code: number): Uint8Array {
  if (!Number.isSafeInteger(code)) throw new RangeError(`exit code must be an integer, got ${code}`);
  return Buffer.from(`${EXIT_CODE_PREFIX}${code}`, "ascii");
}

export function parseExitCodePayload(payload: Uint8Array): Parsed<number> {
  const text = Buffer.from(payload).toString("latin1");
  const match = /^EXIT_CODE: ?(-?\d{1,10})\s*$/.exec(text);
  if (match === null) return parseFailure(`ExitCode payload is not "${EXIT_CODE_PREFIX}<n>"`);
  return parsedValue(Number(match[1]));
}

export type AgentSessionState = "Connected" | "Terminating";

/** What the agent tells MGS about its session; not sequenced, Flags SYN|FIN (§2.2, §3.1). */
export function encodeAgentSessionStateFrame(state: AgentSessionState, sessionId: string): Uint8Array {
  return encodeFrame({
    messageType: MessageType.AgentSessionState,
    sequenceNumber: 0,
    flags: FrameFlags.SynFin,
    payloadType: PayloadType.None,
    payload: jsonBytes({ SchemaVersion: 1, SessionState: state, SessionId: sessionId }),
  });
}

export function parseAgentSessionState(payload: Uint8Array): Parsed<{ state: string; sessionId: string }> {
  const json = parseJsonObject(payload, "agent_session_state payload");
  if (!json.ok) return json;
  const { SessionState, SessionId } = json.value;
  if (typeof SessionState !== "string") return parseFailure("agent_session_state has no SessionState");
  return parsedValue({ state: SessionState, sessionId: typeof SessionId === "string" ? SessionId : "" });
}

/** For the gateway: a start_publication or pause_publication frame (MGS's exact header is UNVERIFIED). */
export function encodePublicationFrame(
  messageType: typeof MessageType.StartPublication | typeof MessageType.PausePublication,
): Uint8Array {
  return encodeFrame({
    messageType,
    sequenceNumber: 0,
    flags: FrameFlags.None,
    payloadType: PayloadType.None,
    payload: new Uint8Array(0),
  });
}
