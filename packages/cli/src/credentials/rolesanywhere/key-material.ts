// Reads the certificate, its intermediates and the private key a Roles Anywhere session is signed with:
// PEM or DER certificates; RSA and EC keys as PKCS#1/SEC1 PEM, PKCS#8 PEM or DER, and encrypted PKCS#8.
// The passphrase of an encrypted key never comes from argv: TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE, a file named
// by TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE_FILE, or the terminal (/dev/tty) — or, with passphrase source
// `vault`, tobira's vault, where `tobira rolesanywhere store-passphrase` put it under the key file's SHA-256.

import { createHash, createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { ConfigError, UsageError } from "../../errors.js";
import { warnIfSecretFileShared } from "../../files/secret-file-mode.js";
import { askOnTerminal } from "../../terminal/index.js";
import type { PassphraseSource } from "./key-passphrase-source.js";
import type { X509Identity } from "./x509-signer.js";

export const PASSPHRASE_VARIABLE = "TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE";
export const PASSPHRASE_FILE_VARIABLE = "TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE_FILE";

export interface KeyFiles {
  certificate: string;
  privateKey: string;
  intermediates?: string | undefined;
  /** Default "environment". */
  passphraseSource?: PassphraseSource | undefined;
}

/** The vault's name for the passphrase of the key file with these bytes: follows the key, not its path. */
export function vaultPassphraseName(keyBytes: Buffer): string {
  return `rolesanywhere-key:${createHash("sha256").update(keyBytes).digest("hex")}`;
}

export async function readBytes(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new UsageError(
      `cannot read the ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
      {
        hint: `check the path given for the ${what}`,
      },
    );
  }
}

/**
 * Whether the bytes are a PKCS#12 (.p12/.pfx) bundle: a DER SEQUENCE whose first element is INTEGER 3 (PFX's
 * version). tobira does not open these itself — Node's crypto cannot, and no small dependency does it without
 * its own cryptography — so they get the conversion command instead of "no readable certificate".
 */
export function isPkcs12(bytes: Buffer): boolean {
  if (bytes.length < 8 || bytes[0] !== 0x30) return false;
  const first = bytes[1]!;
  const headerLength = first < 0x80 ? 2 : 2 + (first & 0x7f);
  return bytes[headerLength] === 0x02 && bytes[headerLength + 1] === 0x01 && bytes[headerLength + 2] === 0x03;
}

function refusePkcs12(bytes: Buffer, path: string): void {
  if (!isPkcs12(bytes)) return;
  throw new ConfigError(`${path} is a PKCS#12 bundle (.p12/.pfx), which tobira does not read`, {
    hint: `convert it once: openssl pkcs12 -in ${path} -clcerts -nokeys -out server.pem; the same with -cacerts -nokeys -out chain.pem; and -nocerts -out server.key (an encrypted PKCS#8 key)`,
  });
}

function certificatesOf(bytes: Buffer, path: string): X509Certificate[] {
  refusePkcs12(bytes, path);
  const text = bytes.toString("latin1");
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  try {
    return blocks ? blocks.map((block) => new X509Certificate(block)) : [new X509Certificate(bytes)];
  } catch {
    throw new ConfigError(`${path} holds no readable X.509 certificate`, {
      hint: "give a PEM ('BEGIN CERTIFICATE') or DER certificate file",
    });
  }
}

export function isEncrypted(bytes: Buffer): boolean {
  const text = bytes.toString("latin1");
  return text.includes("BEGIN ENCRYPTED PRIVATE KEY") || text.includes("Proc-Type: 4,ENCRYPTED");
}

async function passphrase(env: NodeJS.ProcessEnv, keyPath: string): Promise<string> {
  const direct = env[PASSPHRASE_VARIABLE];
  if (direct !== undefined && direct !== "") return direct;
  const file = env[PASSPHRASE_FILE_VARIABLE];
  if (file !== undefined && file !== "") {
    const text = (await readBytes(file, "passphrase file")).toString("utf8").replace(/\r?\n$/, "");
    warnIfSecretFileShared(file, PASSPHRASE_FILE_VARIABLE);
    return text;
  }
  return askOnTerminal(`Passphrase for the private key ${keyPath}: `, {
    what: "the private key's passphrase",
    echo: false,
    whenNoTerminal: `set ${PASSPHRASE_FILE_VARIABLE} (a 0600 file holding it) or ${PASSPHRASE_VARIABLE}`,
  });
}

async function passphraseFromVault(
  env: NodeJS.ProcessEnv,
  keyPath: string,
  keyBytes: Buffer,
): Promise<string> {
  const { openVault } = await import("../../vault/open-vault.js");
  const vault = await openVault({ env });
  const stored = await vault.secrets.get(vaultPassphraseName(keyBytes));
  if (stored === undefined) {
    throw new ConfigError(`the ${vault.location} holds no passphrase for the private key ${keyPath}`, {
      hint: `store it with \`tobira rolesanywhere store-passphrase --private-key ${keyPath}\` (again after the key file changes)`,
    });
  }
  return stored.secret;
}

export function parseKey(bytes: Buffer, secret: string | undefined, path: string): KeyObject {
  const pem = bytes.toString("latin1").includes("-----BEGIN");
  try {
    if (pem) return createPrivateKey(secret === undefined ? bytes : { key: bytes, passphrase: secret });
    return createPrivateKey({
      key: bytes,
      format: "der",
      type: "pkcs8",
      ...(secret === undefined ? {} : { passphrase: secret }),
    });
  } catch {
    throw new ConfigError(
      secret === undefined
        ? `${path} holds no readable RSA or EC private key`
        : `cannot decrypt the private key ${path}: wrong passphrase?`,
      {
        hint: "give an RSA or EC key as PEM (PKCS#1, SEC1 or PKCS#8) or PKCS#8 DER; an encrypted key needs its passphrase",
      },
    );
  }
}

function samePublicKey(key: KeyObject, certificate: X509Certificate): boolean {
  const a = createPublicKey(key).export({ type: "spki", format: "der" });
  const b = certificate.publicKey.export({ type: "spki", format: "der" });
  return a.equals(b);
}

/**
 * Roles Anywhere answers an expired or not yet valid certificate only with "Untrusted signing certificate",
 * as it answers a stranger's: the dates are known here, so they are said before any passphrase or call.
 */
function refuseOutsideValidity(certificate: X509Certificate, path: string, now: number): void {
  const from = Date.parse(certificate.validFrom);
  const to = Date.parse(certificate.validTo);
  const day = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  if (now > to) {
    throw new ConfigError(`the certificate ${path} expired at ${day(to)}`, {
      hint: "renew it with your CA (a new certificate for the same key works) and point the profile at it",
    });
  }
  if (now < from) {
    throw new ConfigError(`the certificate ${path} is not valid before ${day(from)}`, {
      hint: "check this machine's clock, or wait until the certificate's start",
    });
  }
}

export async function readIdentity(files: KeyFiles, env: NodeJS.ProcessEnv): Promise<X509Identity> {
  const [certificate] = certificatesOf(await readBytes(files.certificate, "certificate"), files.certificate);
  refuseOutsideValidity(certificate!, files.certificate, Date.now());
  const intermediates = files.intermediates
    ? certificatesOf(await readBytes(files.intermediates, "intermediates bundle"), files.intermediates)
    : [];
  const keyBytes = await readBytes(files.privateKey, "private key");
  refusePkcs12(keyBytes, files.privateKey);
  const secret = !isEncrypted(keyBytes)
    ? undefined
    : files.passphraseSource === "vault"
      ? await passphraseFromVault(env, files.privateKey, keyBytes)
      : await passphrase(env, files.privateKey);
  const privateKey = parseKey(keyBytes, secret, files.privateKey);
  if (privateKey.asymmetricKeyType !== "rsa" && privateKey.asymmetricKeyType !== "ec") {
    throw new ConfigError(
      `${files.privateKey} is a ${privateKey.asymmetricKeyType} key; Roles Anywhere signs with RSA or EC keys`,
    );
  }
  if (!samePublicKey(privateKey, certificate!)) {
    throw new ConfigError(
      `the private key ${files.privateKey} does not belong to the certificate ${files.certificate}`,
      {
        hint: "give the key the certificate was issued for",
      },
    );
  }
  return { certificate: certificate!, intermediates, privateKey };
}
