// tobira's per-stream flow control on the smux v1 wire (a tobira extension; §7.4 gives v1 none).
//
// Windows and credits travel in length fields that smux v1 defines but ignores outside PSH, counted in KiB:
// * the opener's SYN carries its receive window for the stream (length 0 = no credits: an official peer);
// * the acceptor answers with one NOP on the stream's id whose length is its own window;
// * every later NOP on that id returns that many KiB the local consumer has read.
// A sender that knows the peer's window keeps at most that many unconsumed bytes in flight on the stream.
// The opener learns the acceptor's window one round trip after SYN and sends freely until then (the
// acceptor's hard limit covers that round trip); the acceptor knows the opener's window from the SYN itself.
//
// Why this is safe with the official peers: xtaci/smux's receive loop reads no data after SYN or NOP, looks
// at neither length, and ignores NOP frames entirely — so the SSM agent and the plugin simply never
// announce and never honour credits. Against them tobira falls back to buffering (bounded:
// beyond the hard limit the session pushes back on the data channel, as the official client always does).

/** Credit granularity: one unit of a NOP's length field. */
export const CREDIT_UNIT_BYTES = 1024;

/** Default receive window announced per stream. */
export const DEFAULT_STREAM_WINDOW_BYTES = 256 * 1024;

/** Largest window the 16-bit length field can announce. */
export const MAX_STREAM_WINDOW_BYTES = 0xffff * CREDIT_UNIT_BYTES;
