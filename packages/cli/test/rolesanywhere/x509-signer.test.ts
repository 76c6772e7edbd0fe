// Signature vectors for the AWS4-X509 signer, written from AWS's description of the algorithm: the canonical
// request and the string to sign are spelled out here by hand, and node:crypto checks the signature against
// them with the certificate's public key. Nothing expected is computed by the code under test.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, createPrivateKey, sign, verify, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { HttpRequest } from "@smithy/protocol-http";
import { signX509Request } from "../../src/credentials/rolesanywhere/x509-signer.js";

const NOW = Date.UTC(2026, 11, 3, 10, 0, 0); // 20261203T100000Z
const ANCHOR = "arn:aws:rolesanywhere:eu-west-1:111111111111:trust-anchor/ta-1";
const PROFILE = "arn:aws:rolesanywhere:eu-west-1:111111111111:profile/p 1";
const ROLE = "arn:aws:iam::111111111111:role/lab-server";
const BODY = '{"durationSeconds":3600}';

function selfSigned(dir: string, name: string, keyArgs: string[], serial: string) {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  execFileSync("openssl", ["genpkey", ...keyArgs, "-out", key], { stdio: "ignore" });
  execFileSync(
    "openssl",
    [
      "req",
      "-new",
      "-x509",
      "-key",
      key,
      "-subj",
      `/CN=${name}`,
      "-days",
      "2",
      "-set_serial",
      serial,
      "-out",
      cert,
    ],
    {
      stdio: "ignore",
    },
  );
  return { key: createPrivateKey(readFileSync(key)), certificate: new X509Certificate(readFileSync(cert)) };
}

function request(extraHeaders: Record<string, string> = {}) {
  return new HttpRequest({
    method: "POST",
    protocol: "https:",
    hostname: "rolesanywhere.eu-west-1.amazonaws.com",
    path: "/sessions",
    query: { trustAnchorArn: ANCHOR, roleArn: ROLE, profileArn: PROFILE },
    headers: { "Content-Type": "application/json", ...extraHeaders },
    body: BODY,
  });
}

const hex = (text: string) => createHash("sha256").update(text).digest("hex");

describe("the AWS4-X509 CreateSession signer, against vectors written from the documented algorithm", () => {
  let dir: string;
  let rsa: ReturnType<typeof selfSigned>;
  let ec: ReturnType<typeof selfSigned>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "tobira-x509-vector-"));
    rsa = selfSigned(dir, "rsa", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], "0x0a1b");
    ec = selfSigned(
      dir,
      "ec",
      ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
      "0x0100000000000000ff",
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("signs an RSA request: canonical request, string to sign, PKCS#1 v1.5 signature, decimal serial", () => {
    const leaf = Buffer.from(rsa.certificate.raw).toString("base64");
    const signed = signX509Request(
      request({ "User-Agent": "not signed", "X-Custom": "  two   spaces  " }),
      { certificate: rsa.certificate, intermediates: [], privateKey: rsa.key },
      { region: "eu-west-1", now: NOW },
    );
    // Query keys sorted, values RFC 3986-encoded (':' and '/' encoded, a space as %20).
    const canonical = [
      "POST",
      "/sessions",
      "profileArn=arn%3Aaws%3Arolesanywhere%3Aeu-west-1%3A111111111111%3Aprofile%2Fp%201&roleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Flab-server&trustAnchorArn=arn%3Aaws%3Arolesanywhere%3Aeu-west-1%3A111111111111%3Atrust-anchor%2Fta-1",
      `content-type:application/json\nhost:rolesanywhere.eu-west-1.amazonaws.com\nx-amz-date:20261203T100000Z\nx-amz-x509:${leaf}\nx-custom:two spaces\n`,
      "content-type;host;x-amz-date;x-amz-x509;x-custom",
      hex(BODY),
    ].join("\n");
    const toSign = `AWS4-X509-RSA-SHA256\n20261203T100000Z\n20261203/eu-west-1/rolesanywhere/aws4_request\n${hex(canonical)}`;
    const signature = sign("sha256", Buffer.from(toSign), rsa.key).toString("hex"); // PKCS#1 v1.5 is deterministic
    assert.equal(
      signed.headers.authorization,
      `AWS4-X509-RSA-SHA256 Credential=2587/20261203/eu-west-1/rolesanywhere/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-x509;x-custom, Signature=${signature}`,
    );
    assert.equal(signed.headers["x-amz-x509"], leaf);
    assert.equal(signed.headers.host, "rolesanywhere.eu-west-1.amazonaws.com");
  });

  it("signs an EC request with DER ECDSA and sends the chain comma-separated, signed", () => {
    const chain = [rsa.certificate, ec.certificate];
    const signed = signX509Request(
      request(),
      { certificate: ec.certificate, intermediates: chain, privateKey: ec.key },
      { region: "eu-west-1", now: NOW },
    );
    const b64 = (c: X509Certificate) => Buffer.from(c.raw).toString("base64");
    assert.equal(signed.headers["x-amz-x509-chain"], `${b64(rsa.certificate)},${b64(ec.certificate)}`);
    const canonical = [
      "POST",
      "/sessions",
      "profileArn=arn%3Aaws%3Arolesanywhere%3Aeu-west-1%3A111111111111%3Aprofile%2Fp%201&roleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Flab-server&trustAnchorArn=arn%3Aaws%3Arolesanywhere%3Aeu-west-1%3A111111111111%3Atrust-anchor%2Fta-1",
      `content-type:application/json\nhost:rolesanywhere.eu-west-1.amazonaws.com\nx-amz-date:20261203T100000Z\nx-amz-x509:${b64(ec.certificate)}\nx-amz-x509-chain:${b64(rsa.certificate)},${b64(ec.certificate)}\n`,
      "content-type;host;x-amz-date;x-amz-x509;x-amz-x509-chain",
      hex(BODY),
    ].join("\n");
    const toSign = `AWS4-X509-ECDSA-SHA256\n20261203T100000Z\n20261203/eu-west-1/rolesanywhere/aws4_request\n${hex(canonical)}`;
    const m =
      /^AWS4-X509-ECDSA-SHA256 Credential=(\d+)\/20261203\/eu-west-1\/rolesanywhere\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-x509;x-amz-x509-chain, Signature=([0-9a-f]+)$/.exec(
        String(signed.headers.authorization),
      );
    assert.ok(m, String(signed.headers.authorization));
    assert.equal(m[1], "18446744073709551871"); // 0x0100000000000000ff = 2^64 + 255
    // ECDSA is randomised: check the DER signature over the hand-written string to sign.
    assert.ok(verify("sha256", Buffer.from(toSign), ec.certificate.publicKey, Buffer.from(m[2]!, "hex")));
    assert.equal(Buffer.from(m[2]!, "hex")[0], 0x30, "a DER SEQUENCE (r, s)");
  });
});
