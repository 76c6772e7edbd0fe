// A throwaway PKI made with Debian's openssl for the Roles Anywhere tests: a root CA, an intermediate, leaves
// signed by each (RSA and EC, PEM and PKCS#8, one passphrase-protected), an expired leaf, a revoked leaf with
// the root's CRL, and a leaf of another CA. `openssl ca` keeps the dates and the revocation list honest.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Leaf {
  certificate: string;
  key: string;
  certificatePath: string;
  keyPath: string;
}

export interface TestPki {
  dir: string;
  rootPem: string;
  intermediatePem: string;
  intermediatePath: string;
  otherRootPem: string;
  /** CN=web-1, OU=servers, RSA 2048, signed by the intermediate; key in traditional PEM (PKCS#1). */
  rsaLeaf: Leaf;
  /** CN=web-2, OU=servers, EC P-256, signed by the intermediate; key in PKCS#8. */
  ecLeaf: Leaf;
  /** CN=web-3, OU=servers, RSA, signed by the root; key in encrypted PKCS#8 (passphrase `passphrase`). */
  encryptedLeaf: Leaf;
  /** CN=db-1, OU=databases, signed by the root. */
  dbLeaf: Leaf;
  /** CN=old-1, OU=servers, valid 2020-01-01 to 2020-12-31. */
  expiredLeaf: Leaf;
  /** CN=gone-1, OU=servers, signed by the root and on its CRL. */
  revokedLeaf: Leaf;
  /** CN=web (EMP1), OU=servers, signed by the root: a CN no session tag can hold (parentheses). */
  oddLeaf: Leaf;
  /** CN=web-1, OU=servers, signed by an unrelated CA. */
  strangerLeaf: Leaf;
  /** The root's CRL (PEM), listing revokedLeaf. */
  rootCrlPem: string;
  dispose(): void;
}

export const LEAF_PASSPHRASE = "passphrase";

function openssl(args: string[], cwd: string): string {
  return execFileSync("openssl", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

const CA_CONFIG = `[ ca ]
default_ca = this
[ this ]
dir = .
database = ./index.txt
new_certs_dir = ./issued
serial = ./serial
crlnumber = ./crlnumber
default_md = sha256
default_crl_days = 30
default_days = 365
policy = anything
unique_subject = no
copy_extensions = copy
[ anything ]
commonName = supplied
organizationalUnitName = optional
organizationName = optional
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
`;

/** A CA folder `openssl ca` can sign from; self-signed unless a parent signs it. */
function makeCa(dir: string, name: string, parent?: string): string {
  const ca = join(dir, name);
  mkdirSync(join(ca, "issued"), { recursive: true });
  writeFileSync(join(ca, "index.txt"), "");
  writeFileSync(
    join(ca, "serial"),
    name === "root" ? "1000\n" : name === "intermediate" ? "2000\n" : "3000\n",
  );
  writeFileSync(join(ca, "crlnumber"), "01\n");
  writeFileSync(join(ca, "ca.cnf"), CA_CONFIG);
  openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "ca.key"], ca);
  const subject = `/O=tobira-lab/CN=${name} CA`;
  if (parent === undefined) {
    openssl(
      [
        "req",
        "-new",
        "-x509",
        "-key",
        "ca.key",
        "-subj",
        subject,
        "-days",
        "3650",
        "-config",
        "ca.cnf",
        "-extensions",
        "v3_ca",
        "-out",
        "ca.pem",
      ],
      ca,
    );
  } else {
    openssl(["req", "-new", "-key", "ca.key", "-subj", subject, "-out", "ca.csr"], ca);
    sign(join(dir, parent), join(ca, "ca.csr"), join(ca, "ca.pem"), ["-extensions", "v3_ca"]);
  }
  return ca;
}

function sign(ca: string, csr: string, out: string, extra: string[]): void {
  openssl(
    [
      "ca",
      "-batch",
      "-config",
      "ca.cnf",
      "-cert",
      "ca.pem",
      "-keyfile",
      "ca.key",
      "-notext",
      "-in",
      csr,
      "-out",
      out,
      ...extra,
    ],
    ca,
  );
}

type KeyKind = "rsa" | "ec" | "rsa-encrypted";

function makeKey(dir: string, name: string, kind: KeyKind): string {
  const keyPath = join(dir, `${name}.key`);
  if (kind === "ec") {
    openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", keyPath], dir);
  } else {
    // `genrsa -traditional` writes PKCS#1 ("BEGIN RSA PRIVATE KEY"); the encrypted one is PKCS#8 (PBES2, AES-256).
    openssl(["genrsa", "-traditional", "-out", keyPath, "2048"], dir);
    if (kind === "rsa-encrypted") {
      const plain = `${keyPath}.plain`;
      openssl(
        [
          "pkcs8",
          "-topk8",
          "-v2",
          "aes-256-cbc",
          "-passout",
          `pass:${LEAF_PASSPHRASE}`,
          "-in",
          keyPath,
          "-out",
          plain,
        ],
        dir,
      );
      renameSync(plain, keyPath);
    }
  }
  return keyPath;
}

function makeLeaf(
  dir: string,
  ca: string,
  name: string,
  subject: string,
  kind: KeyKind,
  dates: string[] = ["-days", "30"],
): Leaf {
  const keyPath = makeKey(dir, name, kind);
  const csr = join(dir, `${name}.csr`);
  const keyArgs = kind === "rsa-encrypted" ? ["-passin", `pass:${LEAF_PASSPHRASE}`] : [];
  openssl(
    [
      "req",
      "-new",
      "-key",
      keyPath,
      ...keyArgs,
      "-subj",
      subject,
      "-addext",
      `subjectAltName=DNS:${name}.lab.internal`,
      "-out",
      csr,
    ],
    dir,
  );
  const certificatePath = join(dir, `${name}.pem`);
  sign(ca, csr, certificatePath, ["-extensions", "v3_leaf", ...dates]);
  return {
    certificatePath,
    keyPath,
    certificate: readFileSync(certificatePath, "utf8"),
    key: readFileSync(keyPath, "utf8"),
  };
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "tobira-pki-"));
  const root = makeCa(dir, "root");
  const intermediate = makeCa(dir, "intermediate", "root");
  const other = makeCa(dir, "other");
  const servers = (cn: string) => `/O=tobira-lab/OU=servers/CN=${cn}`;
  const revokedLeaf = makeLeaf(dir, root, "gone-1", servers("gone-1"), "rsa");
  openssl(
    [
      "ca",
      "-config",
      "ca.cnf",
      "-cert",
      "ca.pem",
      "-keyfile",
      "ca.key",
      "-revoke",
      revokedLeaf.certificatePath,
    ],
    root,
  );
  openssl(
    ["ca", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-gencrl", "-out", "crl.pem"],
    root,
  );
  return {
    dir,
    rootPem: readFileSync(join(root, "ca.pem"), "utf8"),
    intermediatePem: readFileSync(join(intermediate, "ca.pem"), "utf8"),
    intermediatePath: join(intermediate, "ca.pem"),
    otherRootPem: readFileSync(join(other, "ca.pem"), "utf8"),
    rsaLeaf: makeLeaf(dir, intermediate, "web-1", servers("web-1"), "rsa"),
    ecLeaf: makeLeaf(dir, intermediate, "web-2", servers("web-2"), "ec"),
    encryptedLeaf: makeLeaf(dir, root, "web-3", servers("web-3"), "rsa-encrypted"),
    dbLeaf: makeLeaf(dir, root, "db-1", "/O=tobira-lab/OU=databases/CN=db-1", "rsa"),
    expiredLeaf: makeLeaf(dir, root, "old-1", servers("old-1"), "rsa", [
      "-startdate",
      "20200101000000Z",
      "-enddate",
      "20201231000000Z",
    ]),
    revokedLeaf,
    oddLeaf: makeLeaf(dir, root, "odd-1", servers("web (EMP1)"), "rsa"),
    strangerLeaf: makeLeaf(dir, other, "web-1-stranger", servers("web-1"), "rsa"),
    rootCrlPem: readFileSync(join(root, "crl.pem"), "utf8"),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
