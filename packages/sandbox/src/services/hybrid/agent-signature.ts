// Checks the SSM agent's own request signature (RequestManagedInstanceRoleToken,
// UpdateManagedInstancePublicKey): SigV4's canonical request and string to sign, with the
// `AWS4-HMAC-SHA256` label kept, but signed with the node's RSA key (RSA-PSS, SHA-256, MGF1-SHA-256, salt 32,
// standard base64) instead of an HMAC; the credential's access key id is the node id. The canonical request
// and string to sign come from @smithy/signature-v4's own steps; the verdict from node:crypto.

import {
  createHash,
  createPublicKey,
  constants as cryptoConstants,
  type KeyObject,
  verify,
} from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { getCanonicalHeaders, SignatureV4Base } from "@smithy/signature-v4";
import { authFailure } from "../../auth/auth-errors.js";
import { checkClock } from "../../auth/authenticate.js";
import { readSignatureClaim, SIGV4_ALGORITHM, type SignatureClaim } from "../../auth/signature-claim.js";
import { headerValue, type IncomingAwsRequest } from "../../server/incoming-request.js";

/** Headers the agent's signature must cover, so it cannot be replayed against another operation or host. */
const REQUIRED_SIGNED = ["host", "x-amz-date", "x-amz-target"];

/** SignatureV4Base's canonical request and string to sign, opened for a signature that is not an HMAC. */
class AgentStringToSign extends SignatureV4Base {
  constructor(region: string) {
    super({
      credentials: { accessKeyId: "", secretAccessKey: "" },
      region,
      service: "ssm",
      sha256: Hash.bind(null, "sha256"),
      uriEscapePath: true,
    });
  }

  async of(request: HttpRequest, claim: SignatureClaim, payloadHash: string): Promise<string> {
    const canonicalHeaders = getCanonicalHeaders(request, undefined, new Set(claim.signedHeaders));
    const canonical = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    const scope = `${claim.scope.date}/${claim.scope.region}/${claim.scope.service}/aws4_request`;
    return this.createStringToSign(claim.amzDate, scope, canonical, SIGV4_ALGORITHM);
  }
}

/** The request rebuilt with exactly the headers the agent signed. */
function signedRequest(request: IncomingAwsRequest, claim: SignatureClaim, payloadHash: string): HttpRequest {
  const headers: Record<string, string> = {};
  for (const name of claim.signedHeaders) {
    const value = headerValue(request, name);
    if (value !== undefined) headers[name] = value;
  }
  // A claimed payload hash must be this body's: the real one goes in its place.
  if (headers["x-amz-content-sha256"] !== undefined) headers["x-amz-content-sha256"] = payloadHash;
  return new HttpRequest({
    method: request.method,
    protocol: "http:",
    hostname: (headerValue(request, "host") ?? "").replace(/:\d+$/, ""),
    path: request.rawPath,
    query: {},
    headers,
    body: request.body,
  });
}

/** The node's public key from the base64 DER SubjectPublicKeyInfo it registered. */
export function nodePublicKey(spkiBase64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(spkiBase64, "base64"), format: "der", type: "spki" });
}

/** The request's claim, checked for form and clock; the node id is its access key id. */
export function readAgentClaim(request: IncomingAwsRequest, now: number): SignatureClaim {
  const claim = readSignatureClaim(request, "json");
  if (claim.form !== "header" || claim.scope.service !== "ssm") {
    throw authFailure(
      "incomplete",
      "json",
      "The agent's request must be signed in the Authorization header for the ssm service.",
    );
  }
  const missing = REQUIRED_SIGNED.filter((name) => !claim.signedHeaders.includes(name));
  if (missing.length > 0) {
    throw authFailure("incomplete", "json", `The signature must cover the headers: ${missing.join(", ")}.`);
  }
  checkClock(claim, "json", now);
  return claim;
}

/** Whether the claim's signature is the node key's RSA-PSS signature of the request's string to sign. */
export async function agentSignatureMatches(
  request: IncomingAwsRequest,
  claim: SignatureClaim,
  publicKey: KeyObject,
): Promise<boolean> {
  const payloadHash = createHash("sha256").update(request.body).digest("hex");
  const stringToSign = await new AgentStringToSign(claim.scope.region).of(
    signedRequest(request, claim, payloadHash),
    claim,
    payloadHash,
  );
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(claim.signature)) return false;
  return verify(
    "sha256",
    Buffer.from(stringToSign, "utf8"),
    { key: publicKey, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
    Buffer.from(claim.signature, "base64"),
  );
}
