// Reads what a CreateSession request says about its X.509 signature: the Authorization header
// `AWS4-X509-{RSA,ECDSA}-SHA256 Credential=<serial>/<date>/<region>/rolesanywhere/aws4_request,
// SignedHeaders=…, Signature=<hex>`, X-Amz-Date, and the leaf and chain certificates in X-Amz-X509(-Chain).

import { X509Certificate } from "node:crypto";
import { headerValue, type IncomingAwsRequest } from "../server/incoming-request.js";
import { badSignature, untrusted } from "./session-errors.js";

export type X509Algorithm = "AWS4-X509-RSA-SHA256" | "AWS4-X509-ECDSA-SHA256";

export interface X509Claim {
  algorithm: X509Algorithm;
  /** The serial number of Credential=, in decimal as the helper sends it. */
  serial: string;
  scope: { date: string; region: string; service: string };
  signedHeaders: string[];
  signature: Buffer;
  amzDate: string;
  signedAt: number;
  leaf: X509Certificate;
  intermediates: X509Certificate[];
}

const AUTHORIZATION =
  /^(AWS4-X509-RSA-SHA256|AWS4-X509-ECDSA-SHA256) Credential=(\d+)\/(\d{8})\/([a-z0-9-]+)\/([a-z]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]+)$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function certificate(base64: string, what: string): X509Certificate {
  try {
    return new X509Certificate(Buffer.from(base64.trim(), "base64"));
  } catch {
    throw untrusted(`${what} is not a DER certificate in base64`);
  }
}

function signedAt(amzDate: string | undefined): number {
  const m = amzDate === undefined ? null : AMZ_DATE.exec(amzDate);
  if (!m) throw badSignature("X-Amz-Date is missing or not YYYYMMDDTHHMMSSZ");
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

export function readX509Claim(request: IncomingAwsRequest): X509Claim {
  const authorization = headerValue(request, "authorization");
  const m = authorization === undefined ? null : AUTHORIZATION.exec(authorization);
  if (!m) throw badSignature("the Authorization header is missing or not an AWS4-X509 signature");
  const leafHeader = headerValue(request, "x-amz-x509");
  if (leafHeader === undefined) throw untrusted("no X-Amz-X509 header");
  const chain = request.headers["x-amz-x509-chain"]?.join(",");
  const amzDate = headerValue(request, "x-amz-date");
  return {
    algorithm: m[1] as X509Algorithm,
    serial: m[2]!,
    scope: { date: m[3]!, region: m[4]!, service: m[5]! },
    signedHeaders: m[6]!.split(";"),
    signature: Buffer.from(m[7]!, "hex"),
    amzDate: amzDate ?? "",
    signedAt: signedAt(amzDate),
    leaf: certificate(leafHeader, "X-Amz-X509"),
    intermediates: (chain ?? "")
      .split(",")
      .filter((part) => part.trim() !== "")
      .map((part, i) => certificate(part, `X-Amz-X509-Chain entry ${i + 1}`)),
  };
}
