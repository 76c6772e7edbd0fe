// listProfiles (kinds for `tobira list`), profileNameFrom (AWS_PROFILE only on request), closeNames, and the
// sourceUser that lets several role profiles share one MFA session.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { closeNames, listProfiles, profileNameFrom, resolveProfile } from "../../src/config/index.js";
import { SANDBOX_CONFIG, SANDBOX_CREDENTIALS, writeAwsFiles } from "./aws-files-fixture.js";

describe("listProfiles", () => {
  test("names every profile with its kind, sorted, and says why a broken one cannot be used", async () => {
    const loaded = await writeAwsFiles({
      config: `${SANDBOX_CONFIG}[profile tool]
credential_process = helper
[profile corp]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Admin
[profile lost]
role_arn = arn:aws:iam::222222222222:role/Lost
source_profile = nobody
`,
      credentials: SANDBOX_CREDENTIALS,
    }).load();
    const listing = listProfiles(loaded, { env: {} });
    assert.deepEqual(
      listing.map((entry) => [entry.name, entry.kind, entry.hasFileKeys]),
      [
        ["alice", "user", true],
        ["corp", "sso", false],
        ["lost", "role", false],
        ["switch", "role", false],
        ["tool", "process", false],
      ],
    );
    const byName = new Map(listing.map((entry) => [entry.name, entry]));
    assert.equal(byName.get("switch")?.roleArn, "arn:aws:iam::222222222222:role/Role-for-switch");
    assert.equal(byName.get("switch")?.sourceProfile, "alice");
    assert.equal(byName.get("switch")?.mfaSerial, "arn:aws:iam::111111111111:mfa/alice");
    assert.equal(byName.get("switch")?.problem, undefined);
    assert.match(byName.get("lost")?.problem ?? "", /source_profile "nobody" is not defined/);
    assert.match(byName.get("corp")?.problem ?? "", /sso-session "corp" is not defined/);
  });
});

describe("one MFA per working session", () => {
  test("two role profiles of the same user report the same source user and device", async () => {
    const loaded = await writeAwsFiles({
      config: `${SANDBOX_CONFIG}[profile project-a]
role_arn = arn:aws:iam::333333333333:role/Role-for-project-a
source_profile = alice
mfa_serial = arn:aws:iam::111111111111:mfa/alice
`,
    }).load();
    const a = resolveProfile(loaded, "project-a", { env: {} });
    const s = resolveProfile(loaded, "switch", { env: {} });
    assert.equal(a.sourceUser?.profile, "alice");
    assert.equal(s.sourceUser?.profile, "alice");
    assert.equal(a.sourceUser?.mfaSerial, "arn:aws:iam::111111111111:mfa/alice");
    assert.equal(s.sourceUser?.mfaSerial, a.sourceUser?.mfaSerial);
    assert.equal(a.sourceUser?.mfaSerialProfile, "project-a");
  });

  test("vault keys below the target count as keys: the chain starts there", async () => {
    const loaded = await writeAwsFiles({
      config: `[profile admin]
role_arn = arn:aws:iam::222222222222:role/Admin
source_profile = base
[profile base]
[profile top]
role_arn = arn:aws:iam::333333333333:role/Top
source_profile = admin
`,
    }).load();
    const withoutVault = resolveProfile(loaded, "top", { env: {} });
    assert.deepEqual(
      withoutVault.roles.map((hop) => hop.profile),
      ["admin", "top"],
    );
    const withVault = resolveProfile(loaded, "top", { env: {}, storedKeys: ["admin"] });
    assert.deepEqual(withVault.source, { kind: "static", profile: "admin" });
    assert.deepEqual(
      withVault.roles.map((hop) => hop.profile),
      ["top"],
    );
  });
});

describe("profileNameFrom", () => {
  test("the explicit name wins", () => {
    assert.equal(profileNameFrom({ explicit: "a", env: { AWS_PROFILE: "b" }, useAwsProfile: true }), "a");
  });
  test("AWS_PROFILE only when the caller asks for it", () => {
    assert.equal(profileNameFrom({ env: { AWS_PROFILE: "b" } }), undefined);
    assert.equal(profileNameFrom({ env: { AWS_PROFILE: "b" }, useAwsProfile: true }), "b");
    assert.equal(profileNameFrom({ env: { AWS_PROFILE: "" }, useAwsProfile: true }), undefined);
  });
});

describe("closeNames", () => {
  test("finds typos, swapped letters, case and prefixes; not unrelated names", () => {
    assert.deepEqual(closeNames("swtich", ["switch", "alice", "project-a"]), ["switch"]);
    assert.deepEqual(closeNames("Alice", ["alice", "bob"]), ["alice"]);
    assert.deepEqual(closeNames("project", ["project-a", "project-b", "prod"]), ["project-a", "project-b"]);
    assert.deepEqual(closeNames("zzz", ["alice", "switch"]), []);
  });
});
