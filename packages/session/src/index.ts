// @tobira/session public API: both roles of the Session Manager data channel, and the codec pieces a
// gateway or a test needs to speak the wire directly.

export { type WebSocketLike, websocketTransport } from "./adapter/websocket-transport.js";
export { type Clock, ManualClock, systemClock, type TimerHandle } from "./clock.js";
export {
  type AcknowledgeContent,
  encodeAcknowledgeFrame,
  encodeAcknowledgePayload,
  parseAcknowledgePayload,
} from "./codec/acknowledge.js";
export {
  type ChannelClosedContent,
  encodeChannelClosedFrame,
  encodeChannelClosedPayload,
  parseChannelClosedPayload,
} from "./codec/channel-closed.js";
export {
  type AgentSessionState,
  encodeAgentSessionStateFrame,
  encodeExitCodePayload,
  encodeFlagPayload,
  encodePublicationFrame,
  encodeSizePayload,
  parseAgentSessionState,
  parseExitCodePayload,
  parseFlagPayload,
  parseSizePayload,
  type TerminalSize,
} from "./codec/control-payloads.js";

export {
  type ClientMessage,
  type DecodeOptions,
  type DecodeResult,
  type DigestPolicy,
  decodeFrame,
  encodeFrame,
  type FrameFields,
} from "./codec/frame.js";
export {
  encodeAgentOpenDataChannel,
  encodeClientOpenDataChannel,
  type OpenDataChannelInput,
  parseOpenDataChannel,
} from "./codec/open-data-channel.js";
export type { Parsed } from "./codec/parsed.js";
export { newMessageId, uuidFromWire, uuidToWire } from "./codec/uuid.js";
export {
  ActionStatus,
  ActionType,
  ENCRYPTION,
  FlagValue,
  FRAME,
  FrameFlags,
  HANDSHAKE,
  MessageType,
  PACING,
  PayloadType,
  RELIABILITY,
  SessionType,
  type SessionTypeName,
  VERSIONS,
} from "./constants.js";
export {
  type ChannelRole,
  type DirectionalKeys,
  sessionEncryptionContext,
  splitDataKey,
} from "./crypto/data-key.js";
export { isSealedPayloadType, openPayload, PayloadCipher, sealPayload } from "./crypto/payload-cipher.js";
export {
  ChannelClosedError,
  DataChannelError,
  DataKeyError,
  HandshakeError,
  PayloadDecryptionError,
  PayloadFormatError,
  PortSessionError,
  RetransmissionExhaustedError,
  SmuxProtocolError,
} from "./errors.js";
export { needsHandshake } from "./handshake/agent-handshake.js";
export type {
  DataKeyDecryptRequest,
  DataKeyRequest,
  DecryptDataKey,
  GenerateDataKey,
  GeneratedDataKey,
} from "./handshake/data-key-functions.js";
export type {
  HandshakeComplete,
  HandshakeRequest,
  HandshakeResponse,
  ProcessedClientAction,
  RequestedClientAction,
} from "./handshake/messages.js";
export {
  type MuxRole,
  MuxSession,
  type MuxSessionOptions,
  type MuxSessionStats,
  type MuxTuning,
} from "./mux/mux-session.js";
export { MuxStream } from "./mux/mux-stream.js";
export {
  encodeSmuxFrame,
  encodeSmuxHeader,
  SMUX,
  SmuxCommand,
  type SmuxCommandValue,
  type SmuxFrame,
} from "./mux/smux-frame.js";
export { SmuxFrameReader } from "./mux/smux-reader.js";
export { CREDIT_UNIT_BYTES, DEFAULT_STREAM_WINDOW_BYTES } from "./mux/stream-credit.js";
export { BasicPortClient, type BasicPortClientOptions } from "./port/basic-port-client.js";
export {
  BasicPortServer,
  type BasicPortServerEnd,
  type BasicPortServerOptions,
} from "./port/basic-port-server.js";
export {
  type ClientPortSession,
  type ClientPortSessionOptions,
  openClientPortSession,
  type PortSessionReady,
} from "./port/client-port-session.js";
export { bridgeDuplexes } from "./port/duplex-bridge.js";
export { MuxPortClient, type MuxPortClientOptions } from "./port/mux-port-client.js";
export { MuxPortServer, type MuxPortServerOptions } from "./port/mux-port-server.js";
export { agentPortLink, clientPortLink, type PortLink } from "./port/port-link.js";
export { StreamPortClient, type StreamPortClientOptions } from "./port/stream-port-client.js";
export {
  type AgentPortMode,
  agentPortMode,
  agentSmuxKeepAlive,
  type ClientPortMode,
  clientPortMode,
  clientSmuxKeepAlive,
  clientUsesTerminateFlag,
  compareAgentVersions,
  comparePluginVersions,
  LOCAL_PORT_FORWARDING,
  portForwardingType,
  VERSION_THRESHOLDS,
} from "./port/version-rules.js";
export {
  type AgentDataChannel,
  type AgentDataChannelOptions,
  type AgentExitOptions,
  type AgentKmsOptions,
  type AgentSessionInfo,
  openAgentDataChannel,
} from "./session/agent-data-channel.js";
export {
  type ClientDataChannel,
  type ClientDataChannelOptions,
  type ClientSessionInfo,
  openClientDataChannel,
} from "./session/client-data-channel.js";
export type {
  DataChannelDiagnostic,
  DataChannelEnd,
  DataChannelStats,
  DataChannelTuning,
} from "./session/data-channel-core.js";
export { RESUME_RETRY, resumeRetryDelays } from "./session/resume-retry.js";
export type { RetransmitPolicy } from "./stream/outgoing-stream.js";
export type { DataChannelTransport, TransportCloseInfo, TransportData } from "./transport.js";
