// PEM bundles to node:crypto certificates: a trust anchor's CA bundle, read once per use.

import { X509Certificate } from "node:crypto";

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export class BundleError extends Error {
  override readonly name = "BundleError";
}

/** Every certificate of a PEM bundle; throws BundleError when there is none or one does not parse. */
export function readBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new BundleError("no PEM 'BEGIN CERTIFICATE' block found");
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new BundleError(
        `certificate ${index + 1} of the bundle does not parse: ${(error as Error).message}`,
      );
    }
  });
}

/** A bundle a trust anchor may hold: it parses and each certificate is a CA. */
export function checkCaBundle(pem: string): string | undefined {
  try {
    const certificates = readBundle(pem);
    const notCa = certificates.findIndex((certificate) => !certificate.ca);
    return notCa < 0
      ? undefined
      : `certificate ${notCa + 1} of the bundle is not a CA (basicConstraints CA:TRUE)`;
  } catch (error) {
    return (error as Error).message;
  }
}
