import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isPkcs12 } from "../../src/credentials/rolesanywhere/key-material.js";
import { BUILT } from "../fixtures/sandbox-user.js";
import { identityArgs, type RaMachine, startRaMachine } from "./ra-fixture.js";

// Test material only: the bundle's and the key's passwords are handed to openssl through its env: form, as
// the README's commands would ask for them on the terminal.
const BUNDLE_PASSWORD = "bundle password";
const KEY_PASSWORD = "key password";

describe("a PKCS#12 bundle: refused with the conversion, which the README's commands perform", {
  skip: !BUILT && "needs npm run build",
}, () => {
  let m: RaMachine;
  let dir: string;
  const openssl = (args: string[]) =>
    execFileSync("openssl", args, {
      cwd: dir,
      env: { ...process.env, P12_PASS: BUNDLE_PASSWORD, KEY_PASS: KEY_PASSWORD },
      stdio: ["ignore", "pipe", "pipe"],
    });
  before(async () => {
    m = await startRaMachine();
    dir = mkdtempSync(join(m.home, "p12-"));
    openssl(
      ["pkcs12", "-export", "-in", m.pki.rsaLeaf.certificatePath, "-inkey", m.pki.rsaLeaf.keyPath].concat([
        "-certfile",
        m.pki.intermediatePath,
        "-out",
        "server.p12",
        "-passout",
        "env:P12_PASS",
      ]),
    );
  });
  after(() => m.dispose());

  const identity = (certificate: string, key: string, extra: string[] = []) => [
    "rolesanywhere",
    "credential-process",
    ...identityArgs(m, { certificatePath: certificate, keyPath: key }),
    "--no-cache",
    ...extra,
  ];

  it("knows a PFX by its first bytes, and nothing else for one", () => {
    assert.equal(isPkcs12(readFileSync(join(dir, "server.p12"))), true);
    assert.equal(isPkcs12(readFileSync(m.pki.rsaLeaf.certificatePath)), false);
    assert.equal(isPkcs12(Buffer.from(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01, 0, 0, 0]))), false);
  });

  it("given as the certificate or the key, the bundle is refused with the openssl commands", async () => {
    const p12 = join(dir, "server.p12");
    for (const args of [identity(p12, m.pki.rsaLeaf.keyPath), identity(m.pki.rsaLeaf.certificatePath, p12)]) {
      const run = await m.tobira(args);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, "");
      assert.match(
        run.stderr,
        /server\.p12 is a PKCS#12 bundle \(\.p12\/\.pfx\), which tobira does not read/,
      );
      assert.match(run.stderr, /openssl pkcs12 -in .*server\.p12 -clcerts -nokeys -out server\.pem/);
    }
  });

  it("converted as the README says, the same identity gets the role's credentials", async () => {
    const from = ["pkcs12", "-in", "server.p12", "-passin", "env:P12_PASS"];
    openssl([...from, "-clcerts", "-nokeys", "-out", "server.pem"]);
    openssl([...from, "-cacerts", "-nokeys", "-out", "chain.pem"]);
    openssl([...from, "-nocerts", "-out", "server.key", "-passout", "env:KEY_PASS"]);
    assert.match(readFileSync(join(dir, "server.key"), "utf8"), /BEGIN ENCRYPTED PRIVATE KEY/);
    const run = await m.tobira(
      identity(join(dir, "server.pem"), join(dir, "server.key"), ["--intermediates", join(dir, "chain.pem")]),
      { TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE: KEY_PASSWORD },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /"Version":1,"AccessKeyId":"ASIA/);
  });
});
