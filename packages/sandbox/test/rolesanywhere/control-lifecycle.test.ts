import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  DeleteProfileCommand,
  DeleteTrustAnchorCommand,
  DisableCrlCommand,
  DisableProfileCommand,
  DisableTrustAnchorCommand,
  EnableCrlCommand,
  EnableProfileCommand,
  EnableTrustAnchorCommand,
  GetCrlCommand,
  GetProfileCommand,
  ListCrlsCommand,
  ListProfilesCommand,
  ListTrustAnchorsCommand,
  RolesAnywhereClient,
  UpdateCrlCommand,
  UpdateProfileCommand,
  UpdateTrustAnchorCommand,
} from "@aws-sdk/client-rolesanywhere";
import { awsError, startTestSandbox, type TestSandbox } from "../server/sandbox-fixture.js";
import { type Leaf, makeTestPki, type TestPki } from "./pki.js";
import { ADMIN_KEY, READER_KEY, REGION, raWorld, SERVER_ROLE } from "./ra-world.js";
import { createSession } from "./x509-request.js";

describe("Roles Anywhere update, enable, disable and delete through @aws-sdk/client-rolesanywhere", () => {
  let pki: TestPki;
  let t: TestSandbox;
  let anchor: { id: string; arn: string };
  let profile: { id: string; arn: string };
  let crlId: string;
  const admin = () =>
    new RolesAnywhereClient({
      endpoint: t.sandbox.endpoint,
      region: REGION,
      credentials: ADMIN_KEY,
      maxAttempts: 1,
    });

  before(async () => {
    pki = makeTestPki();
    t = await startTestSandbox({ world: raWorld(pki) });
    const anchors = await admin().send(new ListTrustAnchorsCommand({}));
    anchor = { id: anchors.trustAnchors![0]!.trustAnchorId!, arn: anchors.trustAnchors![0]!.trustAnchorArn! };
    const profiles = await admin().send(new ListProfilesCommand({}));
    const servers = profiles.profiles!.find((p) => p.name === "lab-servers")!;
    profile = { id: servers.profileId!, arn: servers.profileArn! };
    crlId = (await admin().send(new ListCrlsCommand({}))).crls![0]!.crlId!;
  });
  after(async () => {
    await t.dispose();
    pki.dispose();
  });

  /** CreateSession for a root-signed leaf through the world's anchor and profile (or the ones given). */
  const session = (leaf: Leaf, over: { trustAnchorArn?: string; profileArn?: string } = {}) =>
    createSession({
      endpoint: t.sandbox.endpoint,
      region: REGION,
      certificatePem: leaf.certificate,
      keyPem: leaf.key,
      ...(leaf === pki.encryptedLeaf ? { passphrase: "passphrase" } : {}),
      trustAnchorArn: over.trustAnchorArn ?? anchor.arn,
      profileArn: over.profileArn ?? profile.arn,
      roleArn: SERVER_ROLE,
    });

  it("a disabled trust anchor refuses CreateSession until it is enabled again, across a restart", async () => {
    assert.equal((await session(pki.encryptedLeaf)).status, 201);
    const disabled = await admin().send(new DisableTrustAnchorCommand({ trustAnchorId: anchor.id }));
    assert.equal(disabled.trustAnchor?.enabled, false);
    assert.ok(disabled.trustAnchor!.updatedAt! > disabled.trustAnchor!.createdAt!);
    await t.restart();
    const refused = await session(pki.encryptedLeaf);
    assert.equal(refused.status, 403);
    assert.equal(refused.json.__type, "AccessDeniedException");
    const enabled = await admin().send(new EnableTrustAnchorCommand({ trustAnchorId: anchor.id }));
    assert.equal(enabled.trustAnchor?.enabled, true);
    assert.equal((await session(pki.encryptedLeaf)).status, 201);
  });

  it("a disabled profile refuses CreateSession; enabled, it grants again", async () => {
    await admin().send(new DisableProfileCommand({ profileId: profile.id }));
    const refused = await session(pki.encryptedLeaf);
    assert.equal(refused.status, 403);
    assert.equal(refused.json.__type, "AccessDeniedException");
    const enabled = await admin().send(new EnableProfileCommand({ profileId: profile.id }));
    assert.equal(enabled.profile?.enabled, true);
    assert.equal((await session(pki.encryptedLeaf)).status, 201);
  });

  it("a disabled CRL revokes nothing; enabled, its certificate is revoked again", async () => {
    assert.equal((await session(pki.revokedLeaf)).json.message, "Certificate revoked");
    const disabled = await admin().send(new DisableCrlCommand({ crlId }));
    assert.equal(disabled.crl?.enabled, false);
    assert.equal((await session(pki.revokedLeaf)).status, 201);
    await admin().send(new EnableCrlCommand({ crlId }));
    assert.equal((await session(pki.revokedLeaf)).json.message, "Certificate revoked");
    const renamed = await admin().send(new UpdateCrlCommand({ crlId, name: "root-crl renamed" }));
    assert.equal(renamed.crl?.name, "root-crl renamed");
    assert.equal((await admin().send(new GetCrlCommand({ crlId }))).crl?.name, "root-crl renamed");
    const foreign = await awsError(
      admin().send(
        new UpdateCrlCommand({ crlId, crlData: Buffer.from("not a CRL at all, only some bytes") }),
      ),
    );
    assert.equal(foreign.name, "ValidationException");
  });

  it("UpdateProfile changes only what it names, and CreateSession follows the new duration", async () => {
    const before = (await admin().send(new GetProfileCommand({ profileId: profile.id }))).profile!;
    const updated = await admin().send(
      new UpdateProfileCommand({ profileId: profile.id, durationSeconds: 1200 }),
    );
    assert.equal(updated.profile?.durationSeconds, 1200);
    assert.deepEqual(updated.profile?.roleArns, before.roleArns);
    assert.equal(updated.profile?.name, before.name);
    const answer = await session(pki.encryptedLeaf);
    const expiration = (answer.json.credentialSet as { credentials: { expiration: string } }[])[0]!
      .credentials.expiration;
    assert.ok(Math.abs(Date.parse(expiration) - Date.now() - 1200_000) < 60_000, expiration);
    const badRole = await awsError(
      admin().send(
        new UpdateProfileCommand({
          profileId: profile.id,
          roleArns: ["arn:aws:iam::333333333333:role/none"],
        }),
      ),
    );
    assert.equal(badRole.name, "ValidationException");
    const badDuration = await awsError(
      admin().send(new UpdateProfileCommand({ profileId: profile.id, durationSeconds: 60 })),
    );
    assert.equal(badDuration.name, "ValidationException");
  });

  it("UpdateTrustAnchor checks the new bundle, and a new CA changes who is trusted", async () => {
    const leafAsCa = await awsError(
      admin().send(
        new UpdateTrustAnchorCommand({
          trustAnchorId: anchor.id,
          source: {
            sourceType: "CERTIFICATE_BUNDLE",
            sourceData: { x509CertificateData: pki.rsaLeaf.certificate },
          },
        }),
      ),
    );
    assert.equal(leafAsCa.name, "ValidationException");
    assert.match(leafAsCa.message, /not a CA/);
    await admin().send(
      new UpdateTrustAnchorCommand({
        trustAnchorId: anchor.id,
        source: {
          sourceType: "CERTIFICATE_BUNDLE",
          sourceData: { x509CertificateData: `${pki.rootPem}\n${pki.otherRootPem}` },
        },
      }),
    );
    assert.equal((await session(pki.strangerLeaf)).status, 201);
    await admin().send(
      new UpdateTrustAnchorCommand({
        trustAnchorId: anchor.id,
        source: { sourceType: "CERTIFICATE_BUNDLE", sourceData: { x509CertificateData: pki.rootPem } },
      }),
    );
    assert.equal((await session(pki.strangerLeaf)).json.message, "Untrusted signing certificate");
  });

  it("refuses a caller without the permission, naming the action and the resource", async () => {
    const reader = new RolesAnywhereClient({
      endpoint: t.sandbox.endpoint,
      region: REGION,
      credentials: READER_KEY,
      maxAttempts: 1,
    });
    const denied = await awsError(reader.send(new DisableProfileCommand({ profileId: profile.id })));
    assert.equal(denied.name, "AccessDeniedException");
    assert.equal(denied.status, 403);
    assert.match(denied.message, /rolesanywhere:DisableProfile on resource: arn:aws:rolesanywhere:/);
  });

  it("deletes answer with the resource; after that it is not found, even after a restart", async () => {
    const deleted = await admin().send(new DeleteProfileCommand({ profileId: profile.id }));
    assert.equal(deleted.profile?.profileArn, profile.arn);
    await t.restart();
    const gone = await awsError(admin().send(new GetProfileCommand({ profileId: profile.id })));
    assert.equal(gone.name, "ResourceNotFoundException");
    assert.equal(gone.status, 404);
    const again = await awsError(admin().send(new DeleteProfileCommand({ profileId: profile.id })));
    assert.equal(again.name, "ResourceNotFoundException");
    const refused = await session(pki.encryptedLeaf);
    assert.equal(refused.status, 404);
    assert.equal(refused.json.__type, "ResourceNotFoundException");
    await admin().send(new DeleteTrustAnchorCommand({ trustAnchorId: anchor.id }));
    assert.deepEqual((await admin().send(new ListTrustAnchorsCommand({}))).trustAnchors, []);
    const unknown = await awsError(
      admin().send(new EnableTrustAnchorCommand({ trustAnchorId: "00000000-0000-4000-8000-000000000000" })),
    );
    assert.equal(unknown.name, "ResourceNotFoundException");
  });
});
