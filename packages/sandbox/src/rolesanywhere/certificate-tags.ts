// The principal tags IAM Roles Anywhere's default attribute mapping makes of a certificate: every subject RDN
// as x509Subject/<RDN>, every issuer RDN as x509Issuer/<RDN>, and the first DNS name, URI and directory name
// of the subject alternative name as x509SAN/DNS, x509SAN/URI and x509SAN/Name.

import type { X509Certificate } from "node:crypto";

/** RDNs the default mapping carries (AWS's list of supported attributes). */
const SUPPORTED_RDNS = new Set([
  "C",
  "CN",
  "DC",
  "GN",
  "initials",
  "L",
  "O",
  "OU",
  "SN",
  "ST",
  "title",
  "UID",
  "serialNumber",
]);

/** STS session tag values: letters, digits, spaces and _ . : / = + - @, at most 256 characters. */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

function rdns(name: string): [string, string][] {
  return name
    .split("\n")
    .map((line) => line.split("=") as [string, ...string[]])
    .filter((parts) => parts.length >= 2)
    .map(([key, ...rest]) => [key, rest.join("=")] as [string, string]);
}

function firstSan(san: string | undefined, prefix: string): string | undefined {
  for (const entry of (san ?? "").split(", ")) {
    if (entry.startsWith(`${prefix}:`)) return entry.slice(prefix.length + 1);
  }
  return undefined;
}

export interface CertificateTags {
  tags: Record<string, string>;
  /** Fields whose value no session tag can hold, by field: AWS refuses the session then. */
  unmapped: { issuer: string[]; subject: string[]; san: string[] };
}

function addRdns(
  field: "x509Subject" | "x509Issuer",
  name: string,
  out: CertificateTags,
  failed: string[],
): void {
  for (const [key, value] of rdns(name)) {
    if (!SUPPORTED_RDNS.has(key) || out.tags[`${field}/${key}`] !== undefined) continue;
    if (TAG_VALUE.test(value)) out.tags[`${field}/${key}`] = value;
    else failed.push(key);
  }
}

export function certificateTags(leaf: X509Certificate): CertificateTags {
  const out: CertificateTags = { tags: {}, unmapped: { issuer: [], subject: [], san: [] } };
  addRdns("x509Subject", leaf.subject, out, out.unmapped.subject);
  addRdns("x509Issuer", leaf.issuer, out, out.unmapped.issuer);
  for (const [prefix, key] of [
    ["DNS", "DNS"],
    ["URI", "URI"],
    ["DirName", "Name"],
  ] as const) {
    const value = firstSan(leaf.subjectAltName, prefix);
    if (value === undefined) continue;
    if (TAG_VALUE.test(value)) out.tags[`x509SAN/${key}`] = value;
    else out.unmapped.san.push(key);
  }
  return out;
}

/** The subject's CN: the session's source identity. */
export function commonName(leaf: X509Certificate): string | undefined {
  return rdns(leaf.subject).find(([key]) => key === "CN")?.[1];
}
