// Stable ids and ARNs of Roles Anywhere resources: a UUID derived from the account, kind and name, so a world
// keeps its ARNs across restarts (AWS's are random UUIDs of the same shape).

import { createHash, randomUUID } from "node:crypto";

export type RaResourceKind = "trust-anchor" | "profile" | "crl" | "subject";

export function stableUuid(kind: RaResourceKind, account: string, name: string): string {
  const hex = createHash("sha256")
    .update(`rolesanywhere\u0000${kind}\u0000${account}\u0000${name}`)
    .digest("hex");
  // Version 4 / variant 1 bits, so the id reads as a UUID does.
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function newUuid(): string {
  return randomUUID();
}

export function raArn(kind: RaResourceKind, region: string, account: string, id: string): string {
  return `arn:aws:rolesanywhere:${region}:${account}:${kind}/${id}`;
}

const RA_ARN =
  /^arn:aws:rolesanywhere:([a-z0-9-]+):(\d{12}):(trust-anchor|profile|crl|subject)\/([0-9a-f-]{36})$/;

/** The parts of a Roles Anywhere ARN, or undefined when it is not one. */
export function parseRaArn(
  arn: string,
): { region: string; account: string; kind: RaResourceKind; id: string } | undefined {
  const m = RA_ARN.exec(arn);
  if (!m) return undefined;
  return { region: m[1]!, account: m[2]!, kind: m[3] as RaResourceKind, id: m[4]! };
}
