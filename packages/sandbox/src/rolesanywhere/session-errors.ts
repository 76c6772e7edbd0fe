// CreateSession's refusals, with the codes and messages IAM Roles Anywhere answers them with. The messages
// for an untrusted chain, a revoked certificate, a bad signature and a refused role are AWS's as its
// credential helper prints them; the reason (which check failed) goes to the audit line only, as AWS
// reveals it in CloudTrail, not to the caller.

import { AwsServiceError } from "../protocol/errors.js";

export const UNTRUSTED_CERTIFICATE = "Untrusted signing certificate";
export const CERTIFICATE_REVOKED = "Certificate revoked";
export const INVALID_SIGNATURE = "Invalid signature";

/** A refusal: what the caller is told, and why, for the audit line. */
export class SessionRefusal extends Error {
  override readonly name = "SessionRefusal";
  constructor(
    readonly error: AwsServiceError,
    readonly reason: string,
  ) {
    super(error.message);
  }
}

export function accessDenied(message: string, reason: string): SessionRefusal {
  return new SessionRefusal(new AwsServiceError("AccessDeniedException", message, 403), reason);
}

export function untrusted(reason: string): SessionRefusal {
  return accessDenied(UNTRUSTED_CERTIFICATE, reason);
}

export function badSignature(reason: string): SessionRefusal {
  return accessDenied(INVALID_SIGNATURE, reason);
}

export function invalidInput(message: string): SessionRefusal {
  return new SessionRefusal(new AwsServiceError("ValidationException", message, 400), message);
}

export function roleRefused(roleArn: string, reason: string): SessionRefusal {
  return accessDenied(`Unable to assume role for ${roleArn}`, reason);
}

export function resourceNotFound(reason: string): SessionRefusal {
  return new SessionRefusal(
    new AwsServiceError("ResourceNotFoundException", "Resource not found.", 404),
    reason,
  );
}
