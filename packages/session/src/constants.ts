// Every number and string of the Session Manager data channel wire, in one place (ssm-protocol.md §2–§6).

/** §2.1: byte offsets of the ClientMessage header fields. All integers are big-endian. */
export const FRAME = {
  headerLengthOffset: 0,
  messageTypeOffset: 4,
  messageTypeLength: 32,
  schemaVersionOffset: 36,
  createdDateOffset: 40,
  sequenceNumberOffset: 48,
  flagsOffset: 56,
  messageIdOffset: 64,
  payloadDigestOffset: 80,
  payloadDigestLength: 32,
  payloadTypeOffset: 112,
  /** The value every writer puts in HeaderLength: the offset of PayloadLength. */
  headerLength: 116,
  /** Offset of the payload when HeaderLength is 116 (HL + the 4-byte PayloadLength). */
  payloadOffset: 120,
  schemaVersion: 1,
} as const;

/** §3.1: MessageType strings of the data channel. */
export const MessageType = {
  InputStreamData: "input_stream_data",
  OutputStreamData: "output_stream_data",
  Acknowledge: "acknowledge",
  ChannelClosed: "channel_closed",
  StartPublication: "start_publication",
  PausePublication: "pause_publication",
  AgentSessionState: "agent_session_state",
} as const;

/** §3.2: PayloadType values. */
export const PayloadType = {
  None: 0,
  Output: 1,
  Error: 2,
  Size: 3,
  Parameter: 4,
  HandshakeRequest: 5,
  HandshakeResponse: 6,
  HandshakeComplete: 7,
  EncChallengeRequest: 8,
  EncChallengeResponse: 9,
  Flag: 10,
  StdErr: 11,
  ExitCode: 12,
} as const;
export type PayloadTypeValue = ValueOf<typeof PayloadType>;

// The small wire tables below are one row each: a name → value table, not code to read line by line.

/** §2.2: header Flags bits. */
export const FrameFlags = { None: 0, Syn: 1, Fin: 2, SynFin: 3 } as const;

/** §3.3: the 4-byte big-endian values of a Flag payload (PayloadType 10). */
export const FlagValue = { DisconnectToPort: 1, TerminateSession: 2, ConnectToPortError: 3 } as const;
export type FlagValueNumber = ValueOf<typeof FlagValue>;

/** §3.4: handshake action types and statuses. */
export const ActionType = { SessionType: "SessionType", KMSEncryption: "KMSEncryption" } as const;
export const ActionStatus = { Success: 1, Failed: 2, Unsupported: 3 } as const;

/** §3.5: session type names (document `sessionType`). */
export const SessionType = {
  StandardStream: "Standard_Stream",
  InteractiveCommands: "InteractiveCommands",
  NonInteractiveCommands: "NonInteractiveCommands",
  Port: "Port",
} as const;
export type SessionTypeName = ValueOf<typeof SessionType>;

export const SHELL_SESSION_TYPES: readonly string[] = [
  SessionType.StandardStream,
  SessionType.InteractiveCommands,
  SessionType.NonInteractiveCommands,
];

/** §4.3: reliable-delivery timing (milliseconds) and buffer sizes of the official implementations. */
export const RELIABILITY = {
  /** The plugin's scheduler tick; tobira sets its timer at each message's own deadline instead. */
  retransmitTickMs: 100,
  initialRtoMs: 200,
  initialSrttMs: 100,
  initialRttVarMs: 0,
  clockGranularityMs: 10,
  maxRtoMs: 1000,
  /**
   * tobira's floor under the RTO (the plugin has none, §4.3): a loopback round trip of a few ms would
   * otherwise time out on any pause of a busy machine's event loop and resend what was never lost. Loss
   * itself is repaired on evidence, long before; the timeout is for the last frames of a burst.
   */
  minRtoMs: 100,
  /** Acks of later messages before an unacked one counts as lost and is resent at once (tobira, §4.7). */
  lossEvidenceAcks: 3,
  /** How long one message may stay unacknowledged before the session is given up (the plugin's ≈5 min). */
  giveUpAfterMs: 300_000,
  rttAlpha: 1 / 8,
  rttBeta: 1 / 4,
  /** The plugin gives up (and terminates the session) after this many resends of one message (≈5 min). */
  maxResends: 3000,
  /** Unacknowledged messages kept for retransmission (the plugin's buffer; the agent's is 100 000). */
  outgoingWindow: 10_000,
  /** Out-of-order messages kept by a receiver (the plugin's buffer). */
  reorderBufferFrames: 10_000,
} as const;

/** §4.6/§9: payload size and frame-rate ceiling. */
export const PACING = {
  /** Every official reader sends at most this many bytes per frame; MGS's own limit is UNVERIFIED (§13). */
  maxPayloadBytes: 1024,
  /**
   * MGS reportedly cuts a session above ~1000 data frames/s (3rd-party, UNVERIFIED): the agent's default
   * fixed rate, and where the client's adaptive rate starts.
   */
  maxFramesPerSecond: 900,
  /**
   * Frames that may go out back to back before the rate applies: what lets the pacer make up for timers a
   * busy event loop fires late (MGS reportedly tolerates ~2 s worth, §4.5).
   */
  burstFrames: 200,
  /** The client's adaptive pacing (stream/adaptive-rate.ts): it starts at maxFramesPerSecond and stays in here. */
  adaptiveMaxFramesPerSecond: 990,
  adaptiveMinFramesPerSecond: 100,
  /** frames/s gained per second of sending with frames waiting and acks keeping up. */
  adaptiveIncreasePerSecond: 200,
  /** What one back-off keeps of the rate. */
  adaptiveDecreaseFactor: 0.7,
  /** Ack round trips this much above the fastest (and at least double it) mean a queue on the path… */
  adaptiveLatencyGrowthMs: 100,
  /** …once they stay there this long (a burst's queue drains sooner). */
  adaptiveLatencySustainMs: 500,
  /** Signals within this long of a back-off are the same episode (or two round trips, if longer). */
  adaptiveCoolDownMs: 250,
  /** The fastest round trip is re-learnt every this long. */
  adaptiveMinRttPeriodMs: 10_000,
  /** After pause_publication the client sends no data frame until start_publication, or this long. */
  pauseHoldMs: 1000,
} as const;

/** §5.7 and §7.1: handshake and shutdown waits of the agent (milliseconds). */
export const HANDSHAKE = {
  responseTimeoutMs: 15_000,
  challengeTimeoutMs: 15_000,
  /** Random bytes the agent encrypts for the challenge (§5.5). */
  challengeBytes: 64,
  /** Random bytes of the HandshakeRequest's `Challenge` (§5.3). */
  requestChallengeBytes: 16,
  /** What the agent prints when the session is KMS-encrypted (§5.6). */
  kmsCustomerMessage: "This session is encrypted using AWS KMS.",
  agentDrainTimeoutMs: 2_000,
} as const;

/** §6: KMS data key and AES-GCM layout. */
export const ENCRYPTION = {
  dataKeyBytes: 64,
  halfKeyBytes: 32,
  nonceBytes: 12,
  tagBytes: 16,
  contextSessionId: "aws:ssm:SessionId",
  contextTargetId: "aws:ssm:TargetId",
  contextRandomChallenge: "aws:ssm:RandomChallenge",
} as const;

/** §1.5 and §3.6: versions this package reports by default. */
export const VERSIONS = {
  openDataChannelSchema: "1.0",
  /** AWS documents 1.2.764.0 as the minimum supported plugin version (§1.4); ≥ 1.1.70 means smux for ports. */
  defaultClientVersion: "1.2.764.0",
  /** A 4-part numeric version, as the official plugin needs for its feature checks (§3.6). */
  defaultAgentVersion: "3.3.987.0",
} as const;

/** The values of a name → value table, as a union type. */
type ValueOf<T> = T[keyof T];

/** §7.1: the ExitCode payload (PayloadType 12) is ASCII `EXIT_CODE: <n>`. */
export const EXIT_CODE_PREFIX = "EXIT_CODE: ";
