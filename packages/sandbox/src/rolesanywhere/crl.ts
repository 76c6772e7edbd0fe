// Reads an imported CRL (RFC 5280 §5): checks it is signed by a CA of its trust anchor and lists the serial
// numbers it revokes. node:crypto verifies the signature; der.ts finds the parts.

import { verify, type X509Certificate } from "node:crypto";
import { children, type DerElement, DerError, readElement, TAG } from "./der.js";

/** Signature algorithm OIDs (DER content, hex) and the digest node:crypto verifies them with. */
const SIGNATURE_DIGESTS: Record<string, string> = {
  "2a864886f70d01010b": "sha256", // sha256WithRSAEncryption
  "2a864886f70d01010c": "sha384",
  "2a864886f70d01010d": "sha512",
  "2a8648ce3d040302": "sha256", // ecdsa-with-SHA256
  "2a8648ce3d040303": "sha384",
  "2a8648ce3d040304": "sha512",
};

export class CrlError extends Error {
  override readonly name = "CrlError";
}

export interface ParsedCrl {
  /** The CA certificate of the bundle that signed it. */
  issuer: X509Certificate;
  /** Revoked serial numbers, as BigInts so leading zeros and case do not matter. */
  revoked: Set<bigint>;
}

/** A CRL's DER: the bytes as given, or the PEM block's content. */
export function crlBytes(crl: Buffer | string): Buffer {
  if (Buffer.isBuffer(crl)) return crl;
  const pem = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/.exec(crl);
  if (!pem) throw new CrlError("expected a PEM block 'BEGIN X509 CRL' or DER bytes");
  return Buffer.from(pem[1]!.replace(/\s+/g, ""), "base64");
}

function revokedSerials(tbs: DerElement): Set<bigint> {
  const fields = children(tbs);
  // version (optional INTEGER), signature, issuer, thisUpdate, [nextUpdate], [revokedCertificates], [0] extensions
  let index = fields[0]?.tag === TAG.INTEGER ? 4 : 3;
  const next = fields[index];
  if (next && (next.tag === TAG.UTC_TIME || next.tag === TAG.GENERALIZED_TIME)) index += 1;
  const list = fields[index];
  const revoked = new Set<bigint>();
  if (!list || list.tag !== TAG.SEQUENCE) return revoked;
  for (const entry of children(list)) {
    const serial = children(entry)[0];
    if (serial?.tag !== TAG.INTEGER) throw new CrlError("a revoked entry has no serial number");
    revoked.add(BigInt(`0x${serial.content.toString("hex") || "0"}`));
  }
  return revoked;
}

function signingCa(tbs: DerElement, algorithm: DerElement, signature: DerElement, cas: X509Certificate[]) {
  const oid = children(algorithm)[0];
  const digest = oid?.tag === TAG.OID ? SIGNATURE_DIGESTS[oid.content.toString("hex")] : undefined;
  if (digest === undefined)
    throw new CrlError("the CRL's signature algorithm is not RSA or ECDSA with SHA-2");
  if (signature.tag !== TAG.BIT_STRING) throw new CrlError("the CRL's signature is not a BIT STRING");
  const value = signature.content.subarray(1);
  return cas.find((ca) => ca.ca && verify(digest, tbs.encoded, ca.publicKey, value));
}

/** The CRL's revocations, when a CA of `cas` signed it; throws CrlError otherwise. */
export function parseCrl(crl: Buffer | string, cas: X509Certificate[]): ParsedCrl {
  try {
    const top = children(readElement(crlBytes(crl)).element);
    const [tbs, algorithm, signature] = top;
    if (!tbs || !algorithm || !signature) throw new CrlError("not a CertificateList");
    const issuer = signingCa(tbs, algorithm, signature, cas);
    if (!issuer) throw new CrlError("the CRL is not signed by a CA certificate of the trust anchor");
    return { issuer, revoked: revokedSerials(tbs) };
  } catch (error) {
    if (error instanceof DerError) throw new CrlError(`the CRL is not valid DER: ${error.message}`);
    throw error;
  }
}

/** The certificate's serial number (node:crypto gives it in hex) as a BigInt. */
export function serialOf(certificate: X509Certificate): bigint {
  return BigInt(`0x${certificate.serialNumber}`);
}
