import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateProfileCommand,
  CreateTrustAnchorCommand,
  GetProfileCommand,
  GetTrustAnchorCommand,
  ImportCrlCommand,
  ListCrlsCommand,
  ListProfilesCommand,
  ListTrustAnchorsCommand,
  RolesAnywhereClient,
} from "@aws-sdk/client-rolesanywhere";
import { parseWorld, WorldError } from "../../src/world/index.js";
import { awsError, startTestSandbox, type TestSandbox } from "../server/sandbox-fixture.js";
import { type Leaf, makeTestPki, type TestPki } from "./pki.js";
import { ADMIN_KEY, READER_KEY, REGION, raWorld, raWorldYaml, SERVER_ROLE } from "./ra-world.js";
import { createSession } from "./x509-request.js";

describe("Roles Anywhere control plane through @aws-sdk/client-rolesanywhere", () => {
  let pki: TestPki;
  let t: TestSandbox;
  const client = (credentials: typeof ADMIN_KEY) =>
    new RolesAnywhereClient({ endpoint: t.sandbox.endpoint, region: REGION, credentials, maxAttempts: 1 });

  before(async () => {
    pki = makeTestPki();
    t = await startTestSandbox({ world: raWorld(pki) });
  });
  after(async () => {
    await t.dispose();
    pki.dispose();
  });

  it("lists and gets the world's trust anchor and profiles", async () => {
    const anchors = await client(ADMIN_KEY).send(new ListTrustAnchorsCommand({}));
    assert.deepEqual(
      anchors.trustAnchors?.map((a) => a.name),
      ["lab-root"],
    );
    const id = anchors.trustAnchors![0]!.trustAnchorId!;
    const one = await client(ADMIN_KEY).send(new GetTrustAnchorCommand({ trustAnchorId: id }));
    assert.equal(
      one.trustAnchor?.source?.sourceData &&
        "x509CertificateData" in one.trustAnchor.source.sourceData &&
        one.trustAnchor.source.sourceData.x509CertificateData,
      pki.rootPem,
    );
    const profiles = await client(ADMIN_KEY).send(new ListProfilesCommand({}));
    assert.deepEqual(
      profiles.profiles?.map((p) => [p.name, p.durationSeconds, p.enabled]),
      [
        ["lab-servers", 7200, true],
        ["lab-narrow", 900, true],
        ["lab-disabled", 3600, false],
      ],
    );
    const crls = await client(ADMIN_KEY).send(new ListCrlsCommand({}));
    assert.deepEqual(
      crls.crls?.map((c) => [c.name, c.trustAnchorArn]),
      [["lab-root-crl", anchors.trustAnchors![0]!.trustAnchorArn]],
    );
  });

  it("creates a trust anchor for the other CA and a profile, after which its leaf gets credentials", async () => {
    const anchor = await client(ADMIN_KEY).send(
      new CreateTrustAnchorCommand({
        name: "stranger-ca",
        enabled: true,
        source: { sourceType: "CERTIFICATE_BUNDLE", sourceData: { x509CertificateData: pki.otherRootPem } },
      }),
    );
    assert.match(
      anchor.trustAnchor!.trustAnchorArn!,
      /^arn:aws:rolesanywhere:eu-west-1:333333333333:trust-anchor\/[0-9a-f-]{36}$/,
    );
    const profile = await client(ADMIN_KEY).send(
      new CreateProfileCommand({
        name: "stranger",
        enabled: true,
        roleArns: [SERVER_ROLE],
        durationSeconds: 1800,
      }),
    );
    const got = await client(ADMIN_KEY).send(
      new GetProfileCommand({ profileId: profile.profile!.profileId! }),
    );
    assert.deepEqual(got.profile?.roleArns, [SERVER_ROLE]);
    const leaf: Leaf = pki.strangerLeaf;
    const answer = await createSession({
      endpoint: t.sandbox.endpoint,
      region: REGION,
      certificatePem: leaf.certificate,
      keyPem: leaf.key,
      trustAnchorArn: anchor.trustAnchor!.trustAnchorArn!,
      profileArn: profile.profile!.profileArn!,
      roleArn: SERVER_ROLE,
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.json));
    // API-created resources live in the state: they survive a restart.
    await t.restart();
    const after = await client(ADMIN_KEY).send(new ListTrustAnchorsCommand({}));
    assert.deepEqual(
      after.trustAnchors?.map((a) => a.name),
      ["lab-root", "stranger-ca"],
    );
  });

  it("imports a CRL only when a CA of its trust anchor signed it", async () => {
    const anchors = await client(ADMIN_KEY).send(new ListTrustAnchorsCommand({}));
    const [root, stranger] = anchors.trustAnchors!;
    const crlDer = Buffer.from(pki.rootCrlPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    const imported = await client(ADMIN_KEY).send(
      new ImportCrlCommand({ name: "again", crlData: crlDer, trustAnchorArn: root!.trustAnchorArn! }),
    );
    assert.equal(imported.crl?.trustAnchorArn, root!.trustAnchorArn);
    const wrong = await awsError(
      client(ADMIN_KEY).send(
        new ImportCrlCommand({ name: "wrong", crlData: crlDer, trustAnchorArn: stranger!.trustAnchorArn! }),
      ),
    );
    assert.equal(wrong.name, "ValidationException");
    assert.match(wrong.message, /not signed by a CA certificate of the trust anchor/);
  });

  it("refuses a caller without rolesanywhere permissions with AccessDeniedException, and a bad bundle", async () => {
    const denied = await awsError(client(READER_KEY).send(new ListTrustAnchorsCommand({})));
    assert.equal(denied.name, "AccessDeniedException");
    assert.equal(denied.status, 403);
    assert.match(
      denied.message,
      /^User: arn:aws:iam::333333333333:user\/lab-reader is not authorized to perform: rolesanywhere:ListTrustAnchors/,
    );
    const leafAsCa = await awsError(
      client(ADMIN_KEY).send(
        new CreateTrustAnchorCommand({
          name: "leaf",
          source: {
            sourceType: "CERTIFICATE_BUNDLE",
            sourceData: { x509CertificateData: pki.rsaLeaf.certificate },
          },
        }),
      ),
    );
    assert.equal(leafAsCa.name, "ValidationException");
    assert.match(leafAsCa.message, /not a CA/);
  });
});

describe("the world file's rolesAnywhere section", () => {
  let pki: TestPki;
  before(() => {
    pki = makeTestPki();
  });
  after(() => pki.dispose());

  const issuesOf = (yaml: string): string[] => {
    try {
      parseWorld(yaml, "test");
    } catch (error) {
      if (error instanceof WorldError) return error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      throw error;
    }
    return [];
  };

  it("reports a bundle that is no CA, an unknown role and a CRL its trust anchor did not sign", () => {
    const yaml = raWorldYaml(pki)
      .replace(JSON.stringify(pki.rootPem), JSON.stringify(pki.rsaLeaf.certificate))
      .replace(
        "roles: [lab-server]\n      durationSeconds: 900",
        "roles: [lab-servr]\n      durationSeconds: 900",
      );
    const issues = issuesOf(yaml);
    assert.ok(
      issues.includes(
        "rolesAnywhere.trustAnchors.0.certificateBundle: certificate 1 of the bundle is not a CA (basicConstraints CA:TRUE)",
      ),
      String(issues),
    );
    assert.ok(
      issues.some((i) => i.startsWith('rolesAnywhere.profiles.1.roles.0: unknown role "lab-servr"')),
      String(issues),
    );
    assert.ok(
      issues.includes(
        "rolesAnywhere.crls.0.crl: the CRL is not signed by a CA certificate of the trust anchor",
      ),
      String(issues),
    );
  });
});
