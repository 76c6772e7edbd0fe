// Signs an IAM Roles Anywhere CreateSession request with an X.509 certificate's private key, as AWS documents
// it: SigV4's canonical request (the headers set here are signed too), the string to sign with the algorithm
// AWS4-X509-RSA-SHA256 or AWS4-X509-ECDSA-SHA256 and the `rolesanywhere` scope, a PKCS#1 v1.5 (RSA) or DER
// ECDSA signature over its SHA-256 in lowercase hex, and `Credential=<serial in decimal>/<scope>`.
//
// Why not @smithy/signature-v4's SignatureV4: it signs with an HMAC of a secret key and offers no way to put an
// asymmetric signature in its place, and no AWS SDK client has CreateSession (@aws-sdk/client-rolesanywhere
// holds only the control plane). So the request is a @smithy/protocol-http HttpRequest and this module writes
// the documented canonical form (about forty lines) and the signature itself.

import { createHash, type KeyObject, sign, type X509Certificate } from "node:crypto";
import type { HttpRequest } from "@smithy/protocol-http";

export interface X509Identity {
  certificate: X509Certificate;
  intermediates: X509Certificate[];
  privateKey: KeyObject;
}

/** Headers SigV4 never signs (documented for the helper too). */
const UNSIGNED = new Set(["authorization", "user-agent", "x-amzn-trace-id"]);

const sha256Hex = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/** RFC 3986 encoding, as SigV4 wants it: encodeURIComponent plus ! ' ( ) *. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function canonicalQuery(query: HttpRequest["query"]): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    const values = Array.isArray(value) ? value : value === null ? [""] : [value];
    for (const v of values) pairs.push(`${uriEncode(key)}=${uriEncode(v)}`);
  }
  return pairs.sort().join("&");
}

/** Lower-cased, sorted names; values trimmed with inner runs of spaces collapsed. */
export function canonicalHeaders(headers: HttpRequest["headers"]): { block: string; signed: string } {
  const entries = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), String(value).trim().replace(/\s+/g, " ")] as const)
    .filter(([name]) => !UNSIGNED.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    block: entries.map(([name, value]) => `${name}:${value}\n`).join(""),
    signed: entries.map(([name]) => name).join(";"),
  };
}

function bodyBytes(body: unknown): string | Uint8Array {
  if (body === undefined || body === null) return "";
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  throw new Error("the CreateSession body must be a string or bytes");
}

export function algorithmFor(key: KeyObject): "AWS4-X509-RSA-SHA256" | "AWS4-X509-ECDSA-SHA256" {
  if (key.asymmetricKeyType === "rsa") return "AWS4-X509-RSA-SHA256";
  if (key.asymmetricKeyType === "ec") return "AWS4-X509-ECDSA-SHA256";
  throw new Error(`IAM Roles Anywhere signs with RSA or EC keys, not ${key.asymmetricKeyType}`);
}

/** YYYYMMDDTHHMMSSZ */
export function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** Adds Host, X-Amz-Date, X-Amz-X509 (and the chain) and the Authorization header; returns the request. */
export function signX509Request(
  request: HttpRequest,
  identity: X509Identity,
  options: { region: string; now: number },
): HttpRequest {
  const date = amzDate(options.now);
  const port = request.port === undefined ? "" : `:${request.port}`;
  request.headers.host = `${request.hostname}${port}`;
  request.headers["x-amz-date"] = date;
  request.headers["x-amz-x509"] = Buffer.from(identity.certificate.raw).toString("base64");
  if (identity.intermediates.length > 0) {
    request.headers["x-amz-x509-chain"] = identity.intermediates
      .map((c) => Buffer.from(c.raw).toString("base64"))
      .join(",");
  }
  const headers = canonicalHeaders(request.headers);
  const canonical = [
    request.method,
    request.path,
    canonicalQuery(request.query),
    headers.block,
    headers.signed,
    sha256Hex(bodyBytes(request.body)),
  ].join("\n");
  const algorithm = algorithmFor(identity.privateKey);
  const scope = `${date.slice(0, 8)}/${options.region}/rolesanywhere/aws4_request`;
  const toSign = [algorithm, date, scope, sha256Hex(canonical)].join("\n");
  const signature = sign("sha256", Buffer.from(toSign, "utf8"), identity.privateKey).toString("hex");
  const serial = BigInt(`0x${identity.certificate.serialNumber}`).toString(10);
  request.headers.authorization = `${algorithm} Credential=${serial}/${scope}, SignedHeaders=${headers.signed}, Signature=${signature}`;
  return request;
}
