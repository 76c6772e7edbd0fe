// The one error type every service and the auth layer throw; the protocol encoders turn it into AWS's shapes.

/** An error AWS would return: its code, its message, its HTTP status, and who is at fault. */
export class AwsServiceError extends Error {
  override readonly name = "AwsServiceError";
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly fault: "Sender" | "Receiver" = "Sender",
  ) {
    super(message);
  }
}

/** An unexpected failure inside the sandbox, reported the way AWS reports its own: 500 InternalFailure. */
export function internalFailure(): AwsServiceError {
  return new AwsServiceError(
    "InternalFailure",
    "The request processing has failed because of an unknown error, exception or failure.",
    500,
    "Receiver",
  );
}

/** AWS's "N validation error(s) detected: …; …" message from the individual constraint failures. */
export function validationError(failures: string[]): AwsServiceError {
  const count = failures.length;
  const noun = count === 1 ? "validation error" : "validation errors";
  return new AwsServiceError("ValidationError", `${count} ${noun} detected: ${failures.join("; ")}`, 400);
}
