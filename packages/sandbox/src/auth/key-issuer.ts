// Mints access key ids, secrets and session tokens with the shapes AWS uses, from crypto.randomBytes.

import { randomBytes } from "node:crypto";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += BASE32[byte % 32];
  return out;
}

/** AKIA… for long-term user keys, ASIA… for temporary credentials: 20 characters like AWS's. */
export function newAccessKeyId(kind: "long-term" | "temporary"): string {
  return (kind === "long-term" ? "AKIA" : "ASIA") + randomBase32(16);
}

/** 40 characters of base64 alphabet, like an AWS secret access key. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString("base64");
}

/** An opaque session token (AWS's are long base64 blobs). */
export function newSessionToken(): string {
  return randomBytes(240).toString("base64");
}
