// Typed errors of the data channel: each says what happened and carries a hint the user can act on.

/** Base class: every error of this package has a `hint`. */
export class DataChannelError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.hint = hint;
  }
}

type NamedErrorClass<N extends string> = new (
  message: string,
  hint: string,
) => DataChannelError & { readonly name: N };

/**
 * The base of each error type below: a DataChannelError whose `name` is `name`, the one thing a type adds.
 * One definition instead of one class body per type; each type stays its own class for `instanceof`.
 */
function namedError<const N extends string>(name: N): NamedErrorClass<N> {
  return class extends DataChannelError {
    override readonly name: N = name;
  };
}

/** The handshake failed: the client refused or could not perform an action, or a side timed out. */
export class HandshakeError extends namedError("HandshakeError") {}

/** The KMS data key could not be generated or decrypted (the caller's key function failed). */
export class DataKeyError extends namedError("DataKeyError") {}

/** An encrypted payload failed its AES-GCM authentication: wrong key, or the bytes were altered. */
export class PayloadDecryptionError extends namedError("PayloadDecryptionError") {}

/** The peer never acknowledged a message after the maximum number of resends. */
export class RetransmissionExhaustedError extends namedError("RetransmissionExhaustedError") {}

/** The channel is closed: nothing more can be sent. */
export class ChannelClosedError extends namedError("ChannelClosedError") {}

/** A payload of a known type did not have the shape the protocol gives it. */
export class PayloadFormatError extends namedError("PayloadFormatError") {}

/** The smux byte stream of a multiplexed port session is not smux v1 (wrong version, unknown command). */
export class SmuxProtocolError extends namedError("SmuxProtocolError") {}

/** A port session could not do what was asked (a stream refused, the agent could not reach the port). */
export class PortSessionError extends namedError("PortSessionError") {}

/** Text of an unknown thrown value, for messages (never includes secrets: key functions' errors are theirs). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
