// The message gateway's limits and choices where MGS's behaviour is unverified (ssm-protocol.md §9, §13).

export interface GatewayOptions {
  /** Data frames (input/output_stream_data) per second and direction; Infinity = no limit. Default 1000 (§9). */
  framesPerSecond?: number;
  /** Frames that may arrive back to back above the rate (default 2 s worth: MGS acts after ~2 s, 3rd-party). */
  burstFrames?: number;
  /**
   * A client above the rate: "close" its socket (as MGS reportedly does) or "drop" the frame (the client's
   * retransmission recovers it). Before that, a client that has spent half its burst is sent pause_publication
   * (MGS reportedly pauses a sender that stays above the rate, §4.5), and start_publication once ¾ of the
   * burst is back. The agent above the rate is always paused.
   */
  clientOverLimit?: "close" | "drop";
  /** Largest websocket message accepted (bytes); larger ones close the socket with 1009. */
  maxFrameBytes?: number;
  /** How long the first text frame (OpenDataChannel) may take after the upgrade. */
  openTimeoutMs?: number;
  /** How long a session waits for its client to come back (ResumeSession) before it is terminated. */
  reconnectGraceMs?: number;
}

export interface ResolvedGatewayOptions {
  framesPerSecond: number;
  burstFrames: number;
  clientOverLimit: "close" | "drop";
  maxFrameBytes: number;
  openTimeoutMs: number;
  reconnectGraceMs: number;
}

/**
 * 120-byte header + a 1536-byte payload (the largest third-party clients send, §4.6) + 28 bytes of AES-GCM
 * nonce and tag, rounded up: the official writers never exceed 1172.
 */
export const DEFAULT_MAX_FRAME_BYTES = 2048;

export function resolveGatewayOptions(options: GatewayOptions = {}): ResolvedGatewayOptions {
  const framesPerSecond = options.framesPerSecond ?? 1000;
  return {
    framesPerSecond,
    burstFrames: options.burstFrames ?? (Number.isFinite(framesPerSecond) ? framesPerSecond * 2 : 0),
    clientOverLimit: options.clientOverLimit ?? "close",
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    openTimeoutMs: options.openTimeoutMs ?? 30_000,
    reconnectGraceMs: options.reconnectGraceMs ?? 120_000,
  };
}
