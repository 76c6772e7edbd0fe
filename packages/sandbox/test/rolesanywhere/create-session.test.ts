import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { awsError, startTestSandbox, type TestSandbox } from "../server/sandbox-fixture.js";
import { LEAF_PASSPHRASE, type Leaf, makeTestPki, type TestPki } from "./pki.js";
import { NO_RA_ROLE, OTHER_ANCHOR_ROLE, REGION, raWorld, SERVER_ROLE, WEB1_ROLE } from "./ra-world.js";
import { createSession, type SessionCall } from "./x509-request.js";

describe("Roles Anywhere CreateSession against the sandbox", () => {
  let pki: TestPki;
  let t: TestSandbox;
  let anchor: string;
  let servers: string;
  let narrow: string;
  let disabled: string;

  before(async () => {
    pki = makeTestPki();
    const world = raWorld(pki);
    t = await startTestSandbox({ world });
    const ra = world.rolesAnywhere!;
    anchor = ra.trustAnchors[0]!.arn;
    [servers, narrow, disabled] = ra.profiles.map((p) => p.arn) as [string, string, string];
  });
  after(async () => {
    await t.dispose();
    pki.dispose();
  });

  const call = (leaf: Leaf, extra: Partial<SessionCall> = {}): SessionCall => ({
    endpoint: t.sandbox.endpoint,
    region: REGION,
    certificatePem: leaf.certificate,
    keyPem: leaf.key,
    trustAnchorArn: anchor,
    profileArn: servers,
    roleArn: SERVER_ROLE,
    ...extra,
  });
  const denied = async (request: SessionCall) => {
    const answer = await createSession(request);
    return { status: answer.status, type: answer.json.__type, message: answer.json.message };
  };
  const credentialsOf = (json: Record<string, unknown>) => {
    const set = (json.credentialSet as { credentials: Record<string, string> }[])[0]!.credentials;
    return {
      accessKeyId: set.accessKeyId!,
      secretAccessKey: set.secretAccessKey!,
      sessionToken: set.sessionToken!,
    };
  };

  it("gives an RSA leaf signed by the intermediate role credentials that STS knows, named by the serial", async () => {
    // No durationSeconds: the profile's 7200 seconds.
    const answer = await createSession(call(pki.rsaLeaf, { chainPems: [pki.intermediatePem], body: {} }));
    assert.equal(answer.status, 201);
    const entry = (answer.json.credentialSet as Record<string, unknown>[])[0]!;
    // Serial 0x2000 (the intermediate's first) is 8192: the session name is the decimal serial.
    assert.deepEqual(
      entry.assumedRoleUser && (entry.assumedRoleUser as { arn: string }).arn,
      `arn:aws:sts::333333333333:assumed-role/lab-server/8192`,
    );
    assert.equal(entry.sourceIdentity, "web-1");
    assert.equal(entry.roleArn, SERVER_ROLE);
    const who = await t.sts(credentialsOf(answer.json)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, "arn:aws:sts::333333333333:assumed-role/lab-server/8192");
    const session = t.sandbox.host.runtime.state.findSession(credentialsOf(answer.json).accessKeyId)!;
    assert.deepEqual(session.tags, {
      team: "lab",
      "x509Subject/CN": "web-1",
      "x509Subject/OU": "servers",
      "x509Subject/O": "tobira-lab",
      "x509Issuer/CN": "intermediate CA",
      "x509Issuer/O": "tobira-lab",
      "x509SAN/DNS": "web-1.lab.internal",
    });
    assert.equal(session.sourceIdentity, "web-1");
    const lifetime = Date.parse((entry.credentials as { expiration: string }).expiration) - t.now();
    assert.ok(Math.abs(lifetime - 7200_000) < 60_000, `lifetime ${lifetime}`);
  });

  it("signs with an EC key (AWS4-X509-ECDSA-SHA256) and with an encrypted PKCS#8 key", async () => {
    const ec = await createSession(call(pki.ecLeaf, { chainPems: [pki.intermediatePem] }));
    assert.equal(ec.status, 201, JSON.stringify(ec.json));
    const encrypted = await createSession(call(pki.encryptedLeaf, { passphrase: LEAF_PASSPHRASE }));
    assert.equal(encrypted.status, 201, JSON.stringify(encrypted.json));
  });

  it("refuses a leaf whose intermediate is not sent: Untrusted signing certificate", async () => {
    assert.deepEqual(await denied(call(pki.rsaLeaf)), {
      status: 403,
      type: "AccessDeniedException",
      message: "Untrusted signing certificate",
    });
  });

  it("refuses an expired leaf and a leaf of another CA as untrusted", async () => {
    const expected = { status: 403, type: "AccessDeniedException", message: "Untrusted signing certificate" };
    assert.deepEqual(await denied(call(pki.expiredLeaf)), expected);
    assert.deepEqual(await denied(call(pki.strangerLeaf)), expected);
    const audit = t
      .auditLines()
      .filter((line) => line.action === "CreateSession")
      .map((line) => line.reason);
    assert.ok(
      audit.some((reason) =>
        String(reason).startsWith("the certificate expired on Dec 31 00:00:00 2020 GMT"),
      ),
      String(audit),
    );
  });

  it("refuses a leaf on the trust anchor's CRL: Certificate revoked", async () => {
    assert.deepEqual(await denied(call(pki.revokedLeaf)), {
      status: 403,
      type: "AccessDeniedException",
      message: "Certificate revoked",
    });
  });

  it("refuses a signature that does not match: Invalid signature", async () => {
    const tampered = call(pki.dbLeaf, {
      tamper: (r) => {
        r.body = JSON.stringify({ durationSeconds: 900 });
      },
    });
    assert.deepEqual(await denied(tampered), {
      status: 403,
      type: "AccessDeniedException",
      message: "Invalid signature",
    });
    const otherCertificate = call(pki.rsaLeaf, {
      chainPems: [pki.intermediatePem],
      tamper: (r) => {
        r.headers["x-amz-x509"] = Buffer.from(new X509Certificate(pki.ecLeaf.certificate).raw).toString(
          "base64",
        );
      },
    });
    assert.equal((await denied(otherCertificate)).message, "Invalid signature");
    const stale = call(pki.dbLeaf, { signedAt: new Date(t.now() - 20 * 60_000) });
    assert.equal((await denied(stale)).message, "Invalid signature");
  });

  it("refuses a certificate whose attributes no session tag can hold, naming the fields", async () => {
    assert.deepEqual(await denied(call(pki.oddLeaf)), {
      status: 403,
      type: "AccessDeniedException",
      message: `Unable to assume role for ${SERVER_ROLE}. Some attributes failed to be mapped into session tags. Issuer: [  ]; Subject: [ CN ]; SAN: [  ]`,
    });
  });

  it("lets the trust policy decide on the certificate's tags and the trust anchor", async () => {
    const refused = (role: string) => ({
      status: 403,
      type: "AccessDeniedException",
      message: `Unable to assume role for ${role}`,
    });
    // OU=databases fails the lab-server role's aws:PrincipalTag/x509Subject/OU condition.
    assert.deepEqual(await denied(call(pki.dbLeaf)), refused(SERVER_ROLE));
    assert.deepEqual(await denied(call(pki.dbLeaf, { roleArn: WEB1_ROLE })), refused(WEB1_ROLE));
    assert.equal(
      (await createSession(call(pki.rsaLeaf, { roleArn: WEB1_ROLE, chainPems: [pki.intermediatePem] })))
        .status,
      201,
    );
    assert.deepEqual(
      await denied(call(pki.rsaLeaf, { roleArn: OTHER_ANCHOR_ROLE, chainPems: [pki.intermediatePem] })),
      refused(OTHER_ANCHOR_ROLE),
    );
    assert.deepEqual(
      await denied(call(pki.rsaLeaf, { roleArn: NO_RA_ROLE, chainPems: [pki.intermediatePem] })),
      refused(NO_RA_ROLE),
    );
  });

  it("applies the profile: its roles, its session policy, its duration, its session-name rule, enabled", async () => {
    const notInProfile = call(pki.rsaLeaf, {
      profileArn: narrow,
      roleArn: WEB1_ROLE,
      chainPems: [pki.intermediatePem],
    });
    assert.equal((await denied(notInProfile)).message, `Unable to assume role for ${WEB1_ROLE}`);
    const named = await createSession(
      call(pki.encryptedLeaf, {
        passphrase: LEAF_PASSPHRASE,
        profileArn: narrow,
        body: { durationSeconds: 3600, roleSessionName: "web-3-named" },
      }),
    );
    assert.equal(named.status, 201);
    const credentials = credentialsOf(named.json);
    const who = await t.sts(credentials).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, "arn:aws:sts::333333333333:assumed-role/lab-server/web-3-named");
    const entry = (named.json.credentialSet as { credentials: { expiration: string } }[])[0]!;
    assert.ok(Math.abs(Date.parse(entry.credentials.expiration) - t.now() - 900_000) < 60_000);
    // The role allows iam:GetUser; the profile's session policy does not.
    const { GetUserCommand } = await import("@aws-sdk/client-iam");
    const iamDenied = await awsError(t.iam(credentials).send(new GetUserCommand({ UserName: "lab-admin" })));
    assert.equal(iamDenied.name, "AccessDenied");
    const unnamed = await denied(call(pki.dbLeaf, { body: { roleSessionName: "mine" } }));
    assert.equal(unnamed.type, "ValidationException");
    assert.deepEqual(await denied(call(pki.dbLeaf, { profileArn: disabled })), {
      status: 403,
      type: "AccessDeniedException",
      message: "Profile is disabled",
    });
  });
});
