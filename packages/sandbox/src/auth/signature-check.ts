// Verifies a SigV4 signature by recomputing it with @smithy/signature-v4 and the secret of the access key.
// The request is rebuilt with exactly the headers the client signed, signed at the client's X-Amz-Date,
// and the two signatures are compared in constant time.

import { createHash, timingSafeEqual } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { IncomingAwsRequest } from "../server/incoming-request.js";
import { headerValue } from "../server/incoming-request.js";
import type { SignatureClaim } from "./signature-claim.js";

/** Percent-decodes each path segment, as the signer expects the unescaped path it will escape again. */
function decodedPath(rawPath: string): string {
  return rawPath
    .split("/")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join("/");
}

function queryRecord(
  request: IncomingAwsRequest,
  omit: (name: string) => boolean,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, values] of request.query) {
    if (omit(name)) continue;
    out[name] = values.length === 1 ? values[0]! : values;
  }
  return out;
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // Compare against itself on a length mismatch so the time does not depend on where the strings differ.
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/** Recomputes the signature with `secretAccessKey` and says whether it is the one the request carries. */
export async function signatureMatches(
  request: IncomingAwsRequest,
  claim: SignatureClaim,
  secretAccessKey: string,
): Promise<boolean> {
  const signed = new Set(claim.signedHeaders);
  const headers: Record<string, string> = {};
  for (const name of claim.signedHeaders) {
    const value = headerValue(request, name);
    if (value !== undefined) headers[name] = value;
  }
  // A client that claims a payload hash must have hashed this very body: put the real hash in its place,
  // so a claimed hash that differs makes the signatures differ.
  if (signed.has("x-amz-content-sha256")) {
    headers["x-amz-content-sha256"] = createHash("sha256").update(request.body).digest("hex");
  }
  const host = headerValue(request, "host") ?? "";
  const httpRequest = new HttpRequest({
    method: request.method,
    protocol: "http:",
    hostname: host.replace(/:\d+$/, ""),
    path: decodedPath(request.rawPath),
    query: queryRecord(request, (name) => claim.form === "query" && name === "X-Amz-Signature"),
    headers,
    body: request.body.length > 0 ? request.body : undefined,
  });
  // The session token is sent by the client (header or query) and verified as it is; the signer must not add one.
  const signer = new SignatureV4({
    credentials: { accessKeyId: claim.accessKeyId, secretAccessKey },
    region: claim.scope.region,
    service: claim.scope.service,
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: true,
    applyChecksum: false,
  });
  const signingOptions = {
    signingDate: claim.signingDate,
    signingRegion: claim.scope.region,
    signingService: claim.scope.service,
    signableHeaders: signed,
  };
  let expected: string | undefined;
  if (claim.form === "header") {
    const unsignable = new Set<string>();
    if (!signed.has("x-amz-date")) unsignable.add("x-amz-date");
    const result = await signer.sign(httpRequest, { ...signingOptions, unsignableHeaders: unsignable });
    const authorization = String(result.headers.authorization ?? "");
    const expectedSigned = /SignedHeaders=([^,]*)/.exec(authorization)?.[1];
    if (expectedSigned !== claim.signedHeaders.join(";")) return false;
    expected = /Signature=([0-9a-f]+)/.exec(authorization)?.[1];
  } else {
    const result = await signer.presign(httpRequest, {
      ...signingOptions,
      ...(claim.expiresSeconds === undefined ? {} : { expiresIn: claim.expiresSeconds }),
      unhoistableHeaders: signed,
    });
    const expectedSigned = result.query?.["X-Amz-SignedHeaders"];
    if (expectedSigned !== claim.signedHeaders.join(";")) return false;
    const value = result.query?.["X-Amz-Signature"];
    expected = typeof value === "string" ? value : undefined;
  }
  return expected !== undefined && constantTimeEqual(expected, claim.signature);
}

/** The canonical date a clock-skew message names: YYYYMMDDTHHMMSSZ. */
export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}
