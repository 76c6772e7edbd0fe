// tobira's per-stream flow control on the smux v1 wire (a tobira extension; §7.4 gives v1 none).
//
// A NOP frame whose stream id is not 0 carries a credit in its length field, counted in KiB, and no data.
// The receiving side of a stream sends one NOP right after SYN (opener) or on accept (acceptor): its length
// announces the receive window. Every later NOP on that id returns that many KiB the local consumer has read.
// A sender that has seen the announcement keeps at most `window` unconsumed bytes in flight on the stream.
//
// Why this is safe with the official peers: xtaci/smux's receive loop ignores NOP frames entirely — it
// neither reads data after them nor looks at their stream id or length — so the SSM agent and the plugin
// simply never announce and never honour credits. Against them tobira falls back to buffering (bounded:
// beyond the hard limit the session pushes back on the data channel, as the official client always does).

/** Credit granularity: one unit of a NOP's length field. */
export const CREDIT_UNIT_BYTES = 1024;

/** Default receive window announced per stream. */
export const DEFAULT_STREAM_WINDOW_BYTES = 256 * 1024;

/** Largest window the 16-bit length field can announce. */
export const MAX_STREAM_WINDOW_BYTES = 0xffff * CREDIT_UNIT_BYTES;
