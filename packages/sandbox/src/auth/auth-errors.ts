// The authentication failures AWS reports, with the code each protocol uses for them.

import { AwsServiceError } from "../protocol/errors.js";

export type ProtocolKind = "query" | "json";

export type AuthFailureKind =
  | "missing"
  | "incomplete"
  | "unknown-key"
  | "bad-signature"
  | "expired-token"
  | "skewed-clock";

// Query services (STS, IAM, EC2) and JSON services (KMS, SSM) name the same failures differently.
const CODES: Record<AuthFailureKind, Record<ProtocolKind, [string, number]>> = {
  missing: { query: ["MissingAuthenticationToken", 403], json: ["MissingAuthenticationTokenException", 400] },
  incomplete: { query: ["IncompleteSignature", 400], json: ["IncompleteSignatureException", 400] },
  "unknown-key": { query: ["InvalidClientTokenId", 403], json: ["UnrecognizedClientException", 400] },
  "bad-signature": { query: ["SignatureDoesNotMatch", 403], json: ["InvalidSignatureException", 400] },
  "expired-token": { query: ["ExpiredToken", 403], json: ["ExpiredTokenException", 400] },
  "skewed-clock": { query: ["SignatureDoesNotMatch", 403], json: ["InvalidSignatureException", 400] },
};

const DEFAULT_MESSAGES: Record<AuthFailureKind, string> = {
  missing: "Request is missing Authentication Token",
  incomplete: "The request signature does not conform to AWS standards.",
  "unknown-key": "The security token included in the request is invalid.",
  "bad-signature":
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  "expired-token": "The security token included in the request is expired",
  "skewed-clock": "Signature expired.",
};

/** An authentication failure as the given protocol reports it. */
export function authFailure(
  kind: AuthFailureKind,
  protocol: ProtocolKind,
  message?: string,
): AwsServiceError {
  const [code, status] = CODES[kind][protocol];
  return new AwsServiceError(code, message ?? DEFAULT_MESSAGES[kind], status);
}
