// Typed errors of the session commands (targets, StartSession, the data channel): AWS's own words where AWS
// gave some, and a hint the user can act on.
import { TobiraError } from "../../errors.js";

/** No instance or managed node matches what the user typed. */
export class TargetNotFoundError extends TobiraError {
  override name = "TargetNotFoundError";
}

/** More than one target matches and there is no terminal to choose on. */
export class AmbiguousTargetError extends TobiraError {
  override name = "AmbiguousTargetError";
}

/** The target exists but cannot take a session now: stopped, or its SSM agent is not online. */
export class TargetUnavailableError extends TobiraError {
  override name = "TargetUnavailableError";
}

/** An AWS API call failed; the message is AWS's, as the AWS CLI prints it. */
export class AwsCallError extends TobiraError {
  override name = "AwsCallError";
  /** The AWS error code (AccessDeniedException, TargetNotConnected, …). */
  readonly code: string;
  constructor(message: string, code: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options);
    this.code = code;
  }
}

/** The websocket to the message gateway could not be opened. */
export class GatewayConnectError extends TobiraError {
  override name = "GatewayConnectError";
}

/** The session ended with an error from the gateway or the agent (handshake, KMS, …). */
export class SessionFailedError extends TobiraError {
  override name = "SessionFailedError";
}
