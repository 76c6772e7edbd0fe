// Verifies a CreateSession signature: SigV4's canonical request (canonical headers and query from
// @smithy/signature-v4's helpers, the rest here), the string to sign with the X.509 algorithm and the
// rolesanywhere scope, and node:crypto's verify with the leaf certificate's public key — PKCS#1 v1.5 for
// RSA, DER-encoded ECDSA for EC keys.

import { createHash, verify } from "node:crypto";
import { HttpRequest } from "@smithy/protocol-http";
import { getCanonicalHeaders, getCanonicalQuery } from "@smithy/signature-v4";
import { headerValue, type IncomingAwsRequest } from "../server/incoming-request.js";
import { badSignature } from "./session-errors.js";
import type { X509Claim } from "./x509-claim.js";

/** AWS refuses signatures more than 15 minutes away from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

/** Headers that must be signed: without them a signature could be moved to another certificate or host. */
const REQUIRED_SIGNED = ["host", "x-amz-date", "x-amz-x509"];

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function queryRecord(request: IncomingAwsRequest): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, values] of request.query) out[name] = values.length === 1 ? values[0]! : values;
  return out;
}

/** The canonical request of SigV4 §"Create a canonical request", over the headers the client signed. */
export function canonicalRequest(request: IncomingAwsRequest, signedHeaders: string[]): string {
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = headerValue(request, name) ?? "";
  const http = new HttpRequest({
    method: request.method,
    path: request.rawPath,
    query: queryRecord(request),
    headers,
  });
  const canonical = getCanonicalHeaders(http, undefined, new Set(signedHeaders));
  const headerLines = signedHeaders.map((name) => `${name}:${canonical[name] ?? ""}\n`).join("");
  return [
    request.method,
    request.rawPath,
    getCanonicalQuery(http),
    headerLines,
    signedHeaders.join(";"),
    sha256Hex(request.body),
  ].join("\n");
}

export function stringToSign(claim: X509Claim, canonical: string): string {
  const { date, region, service } = claim.scope;
  return [
    claim.algorithm,
    claim.amzDate,
    `${date}/${region}/${service}/aws4_request`,
    sha256Hex(canonical),
  ].join("\n");
}

function checkClaimShape(claim: X509Claim, now: number): void {
  if (claim.scope.service !== "rolesanywhere")
    throw badSignature(`scope names service ${claim.scope.service}`);
  if (claim.scope.date !== claim.amzDate.slice(0, 8))
    throw badSignature("scope date differs from X-Amz-Date");
  if (Math.abs(now - claim.signedAt) > MAX_SKEW_MS)
    throw badSignature("X-Amz-Date is more than 15 minutes off");
  const missing = REQUIRED_SIGNED.find((name) => !claim.signedHeaders.includes(name));
  if (missing !== undefined) throw badSignature(`header ${missing} is not signed`);
  const hasChain = claim.intermediates.length > 0;
  if (hasChain && !claim.signedHeaders.includes("x-amz-x509-chain"))
    throw badSignature("X-Amz-X509-Chain is not signed");
  if (BigInt(claim.serial) !== BigInt(`0x${claim.leaf.serialNumber}`)) {
    throw badSignature("Credential= names another serial number than the X-Amz-X509 certificate's");
  }
  const keyType = claim.leaf.publicKey.asymmetricKeyType;
  const wanted = claim.algorithm === "AWS4-X509-RSA-SHA256" ? "rsa" : "ec";
  if (keyType !== wanted) throw badSignature(`${claim.algorithm} with a ${keyType} key`);
}

/** Throws the refusal AWS gives when the signature does not verify with the leaf certificate's key. */
export function verifyX509Signature(request: IncomingAwsRequest, claim: X509Claim, now: number): void {
  checkClaimShape(claim, now);
  const toSign = stringToSign(claim, canonicalRequest(request, claim.signedHeaders));
  if (!verify("sha256", Buffer.from(toSign, "utf8"), claim.leaf.publicKey, claim.signature)) {
    throw badSignature("the signature does not verify with the certificate's public key");
  }
}
