// Typed errors of the data channel: each says what happened and carries a hint the user can act on.

/** Base class: every error of this package has a `hint`. */
export class DataChannelError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.hint = hint;
  }
}

/** The handshake failed: the client refused or could not perform an action, or a side timed out. */
export class HandshakeError extends DataChannelError {
  override readonly name = "HandshakeError";
}

/** The KMS data key could not be generated or decrypted (the caller's key function failed). */
export class DataKeyError extends DataChannelError {
  override readonly name = "DataKeyError";
}

/** An encrypted payload failed its AES-GCM authentication: wrong key, or the bytes were altered. */
export class PayloadDecryptionError extends DataChannelError {
  override readonly name = "PayloadDecryptionError";
}

/** The peer never acknowledged a message after the maximum number of resends. */
export class RetransmissionExhaustedError extends DataChannelError {
  override readonly name = "RetransmissionExhaustedError";
}

/** The channel is closed: nothing more can be sent. */
export class ChannelClosedError extends DataChannelError {
  override readonly name = "ChannelClosedError";
}

/** A payload of a known type did not have the shape the protocol gives it. */
export class PayloadFormatError extends DataChannelError {
  override readonly name = "PayloadFormatError";
}

/** Text of an unknown thrown value, for messages (never includes secrets: key functions' errors are theirs). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The smux byte stream of a multiplexed port session is not smux v1 (wrong version, unknown command). */
export class SmuxProtocolError extends DataChannelError {
  override readonly name = "SmuxProtocolError";
}

/** A port session could not do what was asked (a stream refused, the agent could not reach the port). */
export class PortSessionError extends DataChannelError {
  override readonly name = "PortSessionError";
}
