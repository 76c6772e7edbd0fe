// Planning rules: which STS calls a profile costs, with which MFA code, for how long.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { stepCacheKeys, stepLockNames } from "../../src/credentials/cache-key.js";
import type { CredentialChainSpec, RoleHop } from "../../src/credentials/chain-spec.js";
import { CredentialSettingError } from "../../src/credentials/errors.js";
import {
  type AssumeRoleStep,
  type CredentialPlan,
  planCredentials,
  type SessionTokenStep,
} from "../../src/credentials/plan.js";

/** The steps of a plan with no SSO source: each one an STS call. */
function stsSteps(plan: CredentialPlan): (SessionTokenStep | AssumeRoleStep)[] {
  return plan.steps.filter((s): s is SessionTokenStep | AssumeRoleStep => s.kind !== "sso-role");
}

const SERIAL = "arn:aws:iam::111111111111:mfa/alice";
const SWITCH = "arn:aws:iam::222222222222:role/switch";
const PROJECT_A = "arn:aws:iam::222222222222:role/project-a";

function roleProfile(hops: RoleHop[], extra: Partial<CredentialChainSpec> = {}): CredentialChainSpec {
  return {
    profile: hops[hops.length - 1]?.profile ?? "alice",
    source: { kind: "long-term", profile: "alice", mfaSerial: SERIAL },
    hops,
    region: "ap-northeast-1",
    endpointUrl: "http://127.0.0.1:4566",
    ...extra,
  };
}

/** Profile 'r' switching (with MFA) into SWITCH from 'p', whose credential_process handed over `credentials`. */
function switchFromProcess(credentials: "long-term" | "temporary"): CredentialChainSpec {
  return {
    profile: "r",
    source: { kind: "given", profile: "p", origin: { type: "process", command: "helper" }, credentials },
    hops: [{ profile: "r", roleArn: SWITCH, mfaSerial: SERIAL }],
  };
}

describe("planCredentials", () => {
  it("zero roles with an mfa_serial: one GetSessionToken with MFA for 12 hours", () => {
    const plan = planCredentials({
      profile: "alice",
      source: { kind: "long-term", profile: "alice" },
      hops: [],
      mfaSerial: SERIAL,
    });
    assert.deepEqual(plan.steps, [
      {
        kind: "session-token",
        profile: "alice",
        serial: SERIAL,
        durationSeconds: 43200,
        region: "us-east-1",
      },
    ]);
    assert.deepEqual(plan.notes, []);
  });

  it("zero roles without an mfa_serial: still a GetSessionToken (no MFA), so the long-term key never leaves tobira", () => {
    const plan = planCredentials({ profile: "ci", source: { kind: "long-term", profile: "ci" }, hops: [] });
    assert.equal(plan.steps.length, 1);
    assert.equal(plan.steps[0]!.kind, "session-token");
    assert.equal(stsSteps(plan)[0]!.serial, undefined);
  });

  it("--duration sets the GetSessionToken lifetime when there is no role, within STS's 900–129600", () => {
    const spec: CredentialChainSpec = {
      profile: "alice",
      source: { kind: "long-term", profile: "alice" },
      hops: [],
    };
    assert.equal(stsSteps(planCredentials(spec, { durationSeconds: 129600 }))[0]!.durationSeconds, 129600);
    assert.throws(() => planCredentials(spec, { durationSeconds: 129601 }), CredentialSettingError);
    assert.throws(() => planCredentials(spec, { durationSeconds: 1.5 }), CredentialSettingError);
  });

  it("one role with MFA: GetSessionToken with the code, then AssumeRole without one", () => {
    const plan = planCredentials(roleProfile([{ profile: "switch", roleArn: SWITCH, mfaSerial: SERIAL }]));
    assert.deepEqual(
      stsSteps(plan).map((s) => [s.kind, s.serial, s.durationSeconds]),
      [
        ["session-token", SERIAL, 43200],
        ["assume-role", undefined, 3600],
      ],
    );
    assert.equal(plan.steps[1]!.endpointUrl, "http://127.0.0.1:4566");
    assert.equal(plan.steps[1]!.region, "ap-northeast-1");
  });

  it("two role profiles of one user and device share the GetSessionToken step (same cache key), not the role step", () => {
    const a = planCredentials(roleProfile([{ profile: "project-a", roleArn: PROJECT_A, mfaSerial: SERIAL }]));
    const s = planCredentials(roleProfile([{ profile: "switch", roleArn: SWITCH, mfaSerial: SERIAL }]));
    const ka = stepCacheKeys(a, "AKIAALICE");
    const ks = stepCacheKeys(s, "AKIAALICE");
    assert.equal(ka[0], ks[0]);
    assert.notEqual(ka[1], ks[1]);
    assert.equal(stepLockNames(a)[0], stepLockNames(s)[0]);
  });

  it("the mfa_serial of the source user alone also routes a role through one shared GetSessionToken", () => {
    const plan = planCredentials(roleProfile([{ profile: "switch", roleArn: SWITCH }]));
    assert.deepEqual(
      stsSteps(plan).map((s) => [s.kind, s.serial]),
      [
        ["session-token", SERIAL],
        ["assume-role", undefined],
      ],
    );
  });

  it("a single role asked for more than an hour: AssumeRole with MFA straight from the long-term keys", () => {
    const plan = planCredentials(
      roleProfile([{ profile: "switch", roleArn: SWITCH, mfaSerial: SERIAL, durationSeconds: 7200 }]),
    );
    assert.deepEqual(
      stsSteps(plan).map((s) => [s.kind, s.serial, s.durationSeconds]),
      [["assume-role", SERIAL, 7200]],
    );
    assert.deepEqual(plan.notes, []);
  });

  it("--duration above an hour on a single role also goes straight to AssumeRole with the code", () => {
    const plan = planCredentials(roleProfile([{ profile: "switch", roleArn: SWITCH, mfaSerial: SERIAL }]), {
      durationSeconds: 14400,
    });
    assert.deepEqual(
      stsSteps(plan).map((s) => [s.kind, s.serial, s.durationSeconds]),
      [["assume-role", SERIAL, 14400]],
    );
  });

  it("a role without any MFA device anywhere: AssumeRole from the long-term keys, no session token", () => {
    const plan = planCredentials(
      roleProfile([{ profile: "ro", roleArn: SWITCH }], { source: { kind: "long-term", profile: "ci" } }),
    );
    assert.deepEqual(
      stsSteps(plan).map((s) => [s.kind, s.serial]),
      [["assume-role", undefined]],
    );
  });

  it("a chain of two roles: one GetSessionToken with MFA, each role capped at one hour, said once", () => {
    const plan = planCredentials(
      roleProfile([
        { profile: "switch", roleArn: SWITCH, mfaSerial: SERIAL, durationSeconds: 7200 },
        { profile: "project-a", roleArn: PROJECT_A, durationSeconds: 10800 },
      ]),
    );
    assert.deepEqual(
      stsSteps(plan).map((s) => [s.kind, s.serial, s.durationSeconds]),
      [
        ["session-token", SERIAL, 43200],
        ["assume-role", undefined, 3600],
        ["assume-role", undefined, 3600],
      ],
    );
    assert.equal(plan.notes.length, 1);
    assert.match(plan.notes[0]!, /one hour/);
  });

  it("a chain within one hour says nothing", () => {
    const plan = planCredentials(
      roleProfile([
        { profile: "switch", roleArn: SWITCH, mfaSerial: SERIAL },
        { profile: "project-a", roleArn: PROJECT_A },
      ]),
    );
    assert.deepEqual(plan.notes, []);
  });

  it("a later hop naming another MFA device sends its own code; the same device sends none", () => {
    const other = "arn:aws:iam::222222222222:mfa/alice-b";
    const plan = planCredentials(
      roleProfile([
        { profile: "switch", roleArn: SWITCH, mfaSerial: SERIAL },
        { profile: "a", roleArn: PROJECT_A, mfaSerial: SERIAL },
        { profile: "b", roleArn: `${PROJECT_A}-b`, mfaSerial: other },
      ]),
    );
    assert.deepEqual(
      stsSteps(plan).map((s) => s.serial),
      [SERIAL, undefined, undefined, other],
    );
  });

  it("RoleSessionName: role_session_name wins; otherwise the step leaves it to the caller's user name", () => {
    const plan = planCredentials(
      roleProfile([
        { profile: "switch", roleArn: SWITCH, mfaSerial: SERIAL, roleSessionName: "ops@example" },
      ]),
    );
    const step = plan.steps[1]!;
    assert.equal(step.kind === "assume-role" && step.sessionName, "ops@example");
    const dflt = planCredentials(roleProfile([{ profile: "switch", roleArn: SWITCH, mfaSerial: SERIAL }]));
    const d = dflt.steps[1]!;
    assert.equal(d.kind === "assume-role" && d.sessionName, undefined);
    assert.throws(
      () =>
        planCredentials(roleProfile([{ profile: "switch", roleArn: SWITCH, roleSessionName: "has space" }])),
      CredentialSettingError,
    );
  });

  it("external id, session tags, transitive tags and source identity pass through to the step", () => {
    const plan = planCredentials(
      roleProfile([
        {
          profile: "switch",
          roleArn: SWITCH,
          mfaSerial: SERIAL,
          externalId: "ext-1",
          sessionTags: { Project: "a", Team: "ops" },
          transitiveSessionTags: ["Project"],
          sourceIdentity: "alice",
        },
      ]),
    );
    const step = plan.steps[1]!;
    assert.equal(step.kind, "assume-role");
    if (step.kind !== "assume-role") return;
    assert.equal(step.externalId, "ext-1");
    assert.deepEqual(step.sessionTags, { Project: "a", Team: "ops" });
    assert.deepEqual(step.transitiveSessionTags, ["Project"]);
    assert.equal(step.sourceIdentity, "alice");
  });

  it("duration_seconds outside 900–43200 is refused before any call", () => {
    assert.throws(
      () => planCredentials(roleProfile([{ profile: "switch", roleArn: SWITCH, durationSeconds: 600 }])),
      /900–43200/,
    );
  });

  it("a given source (credential_process, environment) with no role needs no STS call; with a role, AssumeRole with the code", () => {
    const source = { kind: "given" as const, profile: "p", origin: { type: "environment" as const } };
    assert.deepEqual(planCredentials({ profile: "p", source, hops: [] }).steps, []);
    const plan = planCredentials({
      profile: "r",
      source,
      hops: [{ profile: "r", roleArn: SWITCH, mfaSerial: SERIAL }],
    });
    assert.deepEqual(
      stsSteps(plan).map((s) => [s.kind, s.serial]),
      [["assume-role", SERIAL]],
    );
  });

  it("a given source that handed over a long-term key: one MFA session token, then the roles without a code", () => {
    const plan = planCredentials(switchFromProcess("long-term"));
    assert.deepEqual(
      plan.steps.map((s) => [s.kind, s.serial]),
      [
        ["session-token", SERIAL],
        ["assume-role", undefined],
      ],
    );
    assert.deepEqual(plan.notes, []);
  });

  it("a given source that handed over temporary credentials: AssumeRole with the code, and a note why", () => {
    const plan = planCredentials(switchFromProcess("temporary"));
    assert.deepEqual(
      plan.steps.map((s) => [s.kind, s.serial]),
      [["assume-role", SERIAL]],
    );
    assert.match(plan.notes[0] ?? "", /'p' gives temporary credentials, which cannot call GetSessionToken/);
  });

  it("--region overrides the profile's region for the STS calls and the outputs", () => {
    const plan = planCredentials(roleProfile([{ profile: "switch", roleArn: SWITCH, region: "eu-west-1" }]), {
      region: "us-west-2",
    });
    assert.equal(plan.region, "us-west-2");
    assert.ok(plan.steps.every((s) => s.region === "us-west-2"));
  });
});

describe("stepCacheKeys", () => {
  const base = () => roleProfile([{ profile: "switch", roleArn: SWITCH, mfaSerial: SERIAL }]);
  const lastKey = (spec: CredentialChainSpec, keyId = "AKIAALICE") =>
    stepCacheKeys(planCredentials(spec), keyId)[1];

  it("changes with everything that changes the credentials", () => {
    const reference = lastKey(base());
    const variants: CredentialChainSpec[] = [
      { ...base(), hops: [{ ...base().hops[0]!, externalId: "x" }] },
      { ...base(), hops: [{ ...base().hops[0]!, roleSessionName: "someone" }] },
      { ...base(), hops: [{ ...base().hops[0]!, durationSeconds: 1800 }] },
      { ...base(), hops: [{ ...base().hops[0]!, sessionTags: { A: "1" } }] },
      { ...base(), hops: [{ ...base().hops[0]!, transitiveSessionTags: ["A"] }] },
      { ...base(), hops: [{ ...base().hops[0]!, sourceIdentity: "alice" }] },
      { ...base(), hops: [{ ...base().hops[0]!, roleArn: PROJECT_A }] },
      { ...base(), endpointUrl: "http://127.0.0.1:9999" },
      { ...base(), region: "eu-west-1" },
      { ...base(), source: { kind: "long-term", profile: "bob", mfaSerial: SERIAL } },
      { ...base(), hops: [{ ...base().hops[0]!, mfaSerial: "arn:aws:iam::111111111111:mfa/other" }] },
    ];
    const keys = variants.map((v) => lastKey(v));
    for (const key of keys) assert.notEqual(key, reference);
    assert.equal(new Set(keys).size, keys.length);
    assert.notEqual(lastKey(base(), "AKIAROTATED"), reference);
  });

  it("does not depend on the order session tags are written in", () => {
    const a = { ...base(), hops: [{ ...base().hops[0]!, sessionTags: { A: "1", B: "2" } }] };
    const b = { ...base(), hops: [{ ...base().hops[0]!, sessionTags: { B: "2", A: "1" } }] };
    assert.equal(lastKey(a), lastKey(b));
  });

  it("lock names do not depend on the access key (known before the vault opens)", () => {
    const plan = planCredentials(base());
    assert.deepEqual(stepLockNames(plan), stepLockNames(planCredentials(base())));
    assert.notDeepEqual(stepLockNames(plan), stepCacheKeys(plan, "AKIAALICE"));
  });
});

describe("planCredentials for an IAM Identity Center profile", () => {
  const sso = {
    sessionName: "corp",
    startUrl: "https://d-1.awsapps.com/start",
    region: "eu-west-1",
    registrationScopes: ["sso:account:access"],
    accountId: "111111111111",
    roleName: "Dev",
  };

  it("GetRoleCredentials first, in the sso_region, then each role chained (capped at an hour, said once)", () => {
    const plan = planCredentials(
      {
        profile: "admin",
        source: { kind: "sso", profile: "dev", sso },
        hops: [{ profile: "admin", roleArn: SWITCH, durationSeconds: 7200 }],
        region: "ap-northeast-1",
      },
      {},
    );
    assert.deepEqual(plan.steps[0], {
      kind: "sso-role",
      profile: "dev",
      accountId: "111111111111",
      roleName: "Dev",
      startUrl: "https://d-1.awsapps.com/start",
      sessionName: "corp",
      region: "eu-west-1",
    });
    assert.deepEqual(
      stsSteps(plan).map((s) => [s.kind, s.durationSeconds, s.region]),
      [["assume-role", 3600, "ap-northeast-1"]],
    );
    assert.equal(plan.notes.length, 1);
    assert.match(plan.notes[0]!, /IAM Identity Center credentials \(role chaining\) last at most one hour/);
  });

  it("another account or permission set is another cache key", () => {
    const spec = (roleName: string): CredentialChainSpec => ({
      profile: "dev",
      source: { kind: "sso", profile: "dev", sso: { ...sso, roleName } },
      hops: [],
    });
    const a = stepCacheKeys(planCredentials(spec("Dev")), "sso:corp:https://d-1.awsapps.com/start");
    const b = stepCacheKeys(planCredentials(spec("Admin")), "sso:corp:https://d-1.awsapps.com/start");
    assert.equal(a.length, 1);
    assert.notEqual(a[0], b[0]);
  });
});
