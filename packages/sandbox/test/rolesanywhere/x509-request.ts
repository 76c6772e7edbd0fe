// The tests' own CreateSession client, written from AWS's description of the X.509 signing (SigV4's canonical
// request, the AWS4-X509-*-SHA256 string to sign, PKCS#1 v1.5 or DER ECDSA over its SHA-256, lowercase hex):
// it shares nothing with the sandbox's verifier or the cli's signer, and lets a test spoil any one part.

import { createHash, createPrivateKey, sign, X509Certificate } from "node:crypto";
import { request as httpRequest } from "node:http";

export interface SessionCall {
  endpoint: string;
  region: string;
  certificatePem: string;
  keyPem: string;
  passphrase?: string;
  chainPems?: string[];
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  body?: Record<string, unknown>;
  /** Test hooks: sign at another time, or change the request after signing. */
  signedAt?: Date;
  tamper?: (request: { headers: Record<string, string>; body: string }) => void;
}

export interface SessionAnswer {
  status: number;
  json: Record<string, unknown>;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const der64 = (pem: string) => Buffer.from(new X509Certificate(pem).raw).toString("base64");

function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

export async function createSession(call: SessionCall): Promise<SessionAnswer> {
  const url = new URL(call.endpoint);
  const query = [
    ["profileArn", call.profileArn],
    ["roleArn", call.roleArn],
    ["trustAnchorArn", call.trustAnchorArn],
  ]
    .map(([k, v]) => `${encodeURIComponent(k!)}=${encodeURIComponent(v!)}`)
    .sort()
    .join("&");
  const body = JSON.stringify(call.body ?? { durationSeconds: 3600 });
  const date = amzDate(call.signedAt ?? new Date());
  const leaf = new X509Certificate(call.certificatePem);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    host: url.host,
    "x-amz-date": date,
    "x-amz-x509": der64(call.certificatePem),
  };
  if (call.chainPems?.length) headers["x-amz-x509-chain"] = call.chainPems.map(der64).join(",");
  const names = Object.keys(headers).sort();
  const canonical = [
    "POST",
    "/sessions",
    query,
    names.map((n) => `${n}:${headers[n]}\n`).join(""),
    names.join(";"),
    sha256(body),
  ].join("\n");
  const key = createPrivateKey({
    key: call.keyPem,
    ...(call.passphrase ? { passphrase: call.passphrase } : {}),
  });
  const algorithm = key.asymmetricKeyType === "ec" ? "AWS4-X509-ECDSA-SHA256" : "AWS4-X509-RSA-SHA256";
  const scope = `${date.slice(0, 8)}/${call.region}/rolesanywhere/aws4_request`;
  const toSign = [algorithm, date, scope, sha256(canonical)].join("\n");
  const signature = sign("sha256", Buffer.from(toSign), key).toString("hex");
  const serial = BigInt(`0x${leaf.serialNumber}`).toString(10);
  headers.authorization = `${algorithm} Credential=${serial}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
  const request = { headers, body };
  call.tamper?.(request);
  return post(`${call.endpoint}/sessions?${query}`, request.headers, request.body);
}

/** node:http, so the Host header goes out exactly as signed. */
function post(target: string, headers: Record<string, string>, body: string): Promise<SessionAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(target, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}
