// Stable identifiers for world entities: ARNs, unique ids (AIDA…, AROA…), access key ids and KMS key ids.

import { createHash } from "node:crypto";
import { base32Decode, base32Encode } from "../mfa/base32.js";

/**
 * Unique-id prefixes AWS uses. Since 2019-ish AWS encodes the owning account in the characters after the
 * prefix (base32 of 10 bytes whose bits 46..7 are the account number, bit 47 set), so ids of one account
 * share their first characters; we follow that so `sts:GetAccessKeyInfo`-style decoding works.
 */
export type UniqueIdPrefix = "AIDA" | "AROA" | "AGPA" | "ANPA" | "AKIA" | "ASIA";

function digest(...parts: string[]): Buffer {
  return createHash("sha256").update(parts.join("\u0000")).digest();
}

function encodeWithAccount(
  prefix: UniqueIdPrefix,
  account: string,
  seed: Buffer,
  extraChars: number,
): string {
  const bytes = Buffer.from(seed.subarray(0, 10));
  // 48-bit big-endian head: bit 47 set, the account in bits 46..7, seed bits in 6..0.
  const head = (1n << 47n) | (BigInt(account) << 7n) | BigInt(seed[10]! & 0x7f);
  bytes.writeUIntBE(Number(head), 0, 6);
  const body = base32Encode(bytes); // 10 bytes → exactly 16 characters, no padding
  const extra = base32Encode(seed.subarray(11, 16)).slice(0, extraChars);
  return prefix + body + extra;
}

/** The account a new-style access key id or unique id encodes, or undefined for old-style ids. */
export function accountOfId(id: string): string | undefined {
  const body = id.slice(4, 20);
  if (body.length !== 16) return undefined;
  let bytes: Buffer;
  try {
    bytes = base32Decode(body);
  } catch {
    return undefined;
  }
  const head = BigInt(bytes.readUIntBE(0, 6));
  if ((head & (1n << 47n)) === 0n) return undefined;
  return String((head & 0x7fffffffff80n) >> 7n).padStart(12, "0");
}

/** AIDA… / AROA… / AGPA… / ANPA… (21 characters), derived from the kind, account and name so a world keeps them. */
export function uniqueIdFor(
  prefix: "AIDA" | "AROA" | "AGPA" | "ANPA",
  account: string,
  name: string,
): string {
  return encodeWithAccount(prefix, account, digest("unique-id", prefix, account, name), 1);
}

/** An AKIA access key id (20 characters) for a key the world declares without an id. */
export function accessKeyIdFor(account: string, userName: string, index: number): string {
  return encodeWithAccount("AKIA", account, digest("access-key", account, userName, String(index)), 0);
}

/** A 40-character secret access key for a key the world declares without one (sandbox-only, not secret to anyone). */
export function secretAccessKeyFor(account: string, userName: string, index: number): string {
  // 32 bytes of base64 are 43 significant characters; AWS secrets are 40 of [A-Za-z0-9/+].
  return digest("secret-key", account, userName, String(index)).toString("base64").slice(0, 40);
}

/** A KMS key id (UUID form) for a key the world declares without one. */
export function kmsKeyIdFor(account: string, region: string, index: number): string {
  const hex = digest("kms-key", account, region, String(index)).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function iamArn(
  account: string,
  kind: "user" | "role" | "group" | "policy",
  path: string,
  name: string,
): string {
  return `arn:aws:iam::${account}:${kind}${path}${name}`;
}

export function mfaSerialFor(account: string, deviceName: string): string {
  return `arn:aws:iam::${account}:mfa/${deviceName}`;
}

export function kmsKeyArn(region: string, account: string, keyId: string): string {
  return `arn:aws:kms:${region}:${account}:key/${keyId}`;
}

/** EC2's private DNS name for an address: `ec2.internal` in us-east-1, `<region>.compute.internal` elsewhere. */
export function privateDnsNameFor(privateIp: string, region: string): string {
  const host = `ip-${privateIp.replaceAll(".", "-")}`;
  return region === "us-east-1" ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** An ActivationId (UUID form) for a hybrid activation the world declares without one. */
export function activationIdFor(account: string, region: string, name: string): string {
  const hex = digest("activation", account, region, name).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An mi-… id (17 hex digits) for a node the world registers without one. */
export function managedNodeIdFor(activationId: string, nodeName: string): string {
  return `mi-${digest("managed-node", activationId, nodeName).toString("hex").slice(0, 17)}`;
}
