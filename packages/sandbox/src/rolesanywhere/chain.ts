// The certificate path from the leaf to a CA of the trust anchor: each certificate issued and signed by the
// next (intermediates only from X-Amz-X509-Chain, each a CA), every one within its validity dates, none
// revoked by a CRL imported for the anchor.

import type { X509Certificate } from "node:crypto";
import type { SandboxRuntime } from "../server/runtime.js";
import { crlsOf } from "./catalog.js";
import { readBundle } from "./certificates.js";
import { type ParsedCrl, parseCrl, serialOf } from "./crl.js";
import type { TrustAnchor } from "./model.js";
import { accessDenied, CERTIFICATE_REVOKED, untrusted } from "./session-errors.js";

/** Longer paths than this are refused (AWS allows a handful of intermediates). */
const MAX_PATH = 6;

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  return parent.ca && child.checkIssued(parent) && child.verify(parent.publicKey);
}

function checkDates(certificate: X509Certificate, now: number, what: string): void {
  if (now < Date.parse(certificate.validFrom))
    throw untrusted(`${what} is not valid before ${certificate.validFrom}`);
  if (now > Date.parse(certificate.validTo)) throw untrusted(`${what} expired on ${certificate.validTo}`);
}

/** Leaf first, the anchor's CA last. */
function buildPath(
  leaf: X509Certificate,
  intermediates: X509Certificate[],
  cas: X509Certificate[],
): X509Certificate[] {
  const path = [leaf];
  for (;;) {
    const current = path[path.length - 1]!;
    const root = cas.find((ca) => issuedBy(current, ca));
    if (root) return [...path, root];
    const next = intermediates.find((candidate) => !path.includes(candidate) && issuedBy(current, candidate));
    if (!next || path.length >= MAX_PATH) {
      throw untrusted(`no path from ${leaf.subject.replace(/\n/g, ", ")} to a CA of the trust anchor`);
    }
    path.push(next);
  }
}

function checkRevocation(path: X509Certificate[], crls: ParsedCrl[]): void {
  path.slice(0, -1).forEach((certificate, index) => {
    const issuer = path[index + 1]!;
    const revoking = crls.find((crl) => crl.issuer.fingerprint256 === issuer.fingerprint256);
    if (revoking?.revoked.has(serialOf(certificate))) {
      throw accessDenied(
        CERTIFICATE_REVOKED,
        `serial ${certificate.serialNumber} is on a CRL of the trust anchor`,
      );
    }
  });
}

/** Verifies the path and returns it (leaf first); throws the refusal AWS gives otherwise. */
export function verifyChain(
  runtime: SandboxRuntime,
  anchor: TrustAnchor,
  leaf: X509Certificate,
  intermediates: X509Certificate[],
  now: number,
): X509Certificate[] {
  if (leaf.ca) throw untrusted("the signing certificate is a CA certificate, not an end-entity one");
  const path = buildPath(leaf, intermediates, readBundle(anchor.certificateBundle));
  path.forEach((certificate, index) => {
    checkDates(certificate, now, index === 0 ? "the certificate" : `chain certificate ${index}`);
  });
  const crls = crlsOf(runtime, anchor.arn).flatMap((crl) => {
    // A CRL that no longer verifies (its CA left the bundle) revokes nothing.
    try {
      return [parseCrl(Buffer.from(crl.crlDer, "base64"), path.slice(1))];
    } catch {
      return [];
    }
  });
  checkRevocation(path, crls);
  return path;
}
