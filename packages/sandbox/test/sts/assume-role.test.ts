import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import {
  ALICE_MFA,
  awsError,
  BOB_MFA,
  credentialsOf,
  PROJECT_A_ROLE,
  SWITCH_ROLE,
  sandboxSuite,
} from "../server/sandbox-fixture.js";

describe("STS AssumeRole against the default world", () => {
  const suite = sandboxSuite();

  it("lets alice assume the switch role with a valid MFA code", async () => {
    const answer = await suite.t.sts(suite.t.keysOf("alice")).send(
      new AssumeRoleCommand({
        RoleArn: SWITCH_ROLE,
        RoleSessionName: "alice-switch",
        SerialNumber: ALICE_MFA,
        TokenCode: suite.t.code(ALICE_MFA),
        DurationSeconds: 7200,
      }),
    );
    const role = suite.t.world.roles.find((r) => r.arn === SWITCH_ROLE)!;
    assert.equal(answer.AssumedRoleUser?.AssumedRoleId, `${role.roleId}:alice-switch`);
    const lifetime = answer.Credentials!.Expiration!.getTime() - suite.t.now();
    assert.ok(Math.abs(lifetime - 7200_000) < 60_000);
    const who = await suite.t.sts(credentialsOf(answer)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, "arn:aws:sts::222222222222:assumed-role/Role-for-switch/alice-switch");
    assert.equal(who.Account, "222222222222");
    assert.equal(who.UserId, `${role.roleId}:alice-switch`);
  });

  it("denies alice without an MFA code, naming the action and the role", async () => {
    const denied = await awsError(
      suite.t
        .sts(suite.t.keysOf("alice"))
        .send(new AssumeRoleCommand({ RoleArn: SWITCH_ROLE, RoleSessionName: "no-mfa" })),
    );
    assert.equal(denied.name, "AccessDenied");
    assert.equal(denied.status, 403);
    assert.equal(
      denied.message,
      `User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: ${SWITCH_ROLE}`,
    );
  });

  it("accepts a code once: the same code again is refused", async () => {
    // Codes of the next step are accepted too (one step of drift), so bob's +1 is unused by other tests.
    const code = suite.t.code(BOB_MFA, 1);
    const request = {
      RoleArn: PROJECT_A_ROLE,
      RoleSessionName: "once",
      SerialNumber: BOB_MFA,
      TokenCode: code,
    };
    await suite.t.sts(suite.t.keysOf("bob")).send(new AssumeRoleCommand(request));
    const reused = await awsError(suite.t.sts(suite.t.keysOf("bob")).send(new AssumeRoleCommand(request)));
    assert.equal(reused.name, "AccessDenied");
    assert.equal(reused.message, "MultiFactorAuthentication failed with invalid MFA one time pass code.");
  });

  it("denies carol, who has no MFA device, the switch role", async () => {
    const denied = await awsError(
      suite.t
        .sts(suite.t.keysOf("carol"))
        .send(new AssumeRoleCommand({ RoleArn: SWITCH_ROLE, RoleSessionName: "carol" })),
    );
    assert.equal(denied.name, "AccessDenied");
    assert.equal(
      denied.message,
      "User: arn:aws:iam::111111111111:user/carol is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/Role-for-switch",
    );
  });

  it("refuses a chained AssumeRole asking for more than one hour with AWS's message", async () => {
    const first = await suite.t.sts(suite.t.keysOf("alice")).send(
      new AssumeRoleCommand({
        RoleArn: SWITCH_ROLE,
        RoleSessionName: "chain-start",
        SerialNumber: ALICE_MFA,
        TokenCode: suite.t.code(ALICE_MFA, 1),
      }),
    );
    const chained = await awsError(
      suite.t.sts(credentialsOf(first)).send(
        new AssumeRoleCommand({
          RoleArn: PROJECT_A_ROLE,
          RoleSessionName: "chained",
          DurationSeconds: 3601,
        }),
      ),
    );
    assert.equal(chained.name, "ValidationError");
    assert.equal(chained.status, 400);
    assert.equal(
      chained.message,
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    );
  });

  it("refuses a duration above the role's MaxSessionDuration", async () => {
    // project-a-operator allows one hour; the code is checked first, so bob gives a fresh one.
    const denied = await awsError(
      suite.t.sts(suite.t.keysOf("bob")).send(
        new AssumeRoleCommand({
          RoleArn: PROJECT_A_ROLE,
          RoleSessionName: "too-long",
          DurationSeconds: 7200,
          SerialNumber: BOB_MFA,
          TokenCode: suite.t.code(BOB_MFA),
        }),
      ),
    );
    assert.equal(denied.name, "ValidationError");
    assert.equal(
      denied.message,
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
  });

  it("validates RoleSessionName and reports every failure at once", async () => {
    const bad = await awsError(
      suite.t
        .sts(suite.t.keysOf("alice"))
        .send(new AssumeRoleCommand({ RoleArn: SWITCH_ROLE, RoleSessionName: "bad name!" })),
    );
    assert.equal(bad.name, "ValidationError");
    assert.equal(
      bad.message,
      "1 validation error detected: Value 'bad name!' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
    const two = await awsError(
      suite.t
        .sts(suite.t.keysOf("alice"))
        .send(new AssumeRoleCommand({ RoleArn: "short", RoleSessionName: "x" })),
    );
    assert.equal(
      two.message,
      "2 validation errors detected: Value 'short' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
  });

  it("answers a role that does not exist like one the caller may not assume", async () => {
    suite.t.advance(90_000); // three TOTP steps on: alice's codes are fresh again
    const arn = "arn:aws:iam::222222222222:role/does-not-exist";
    const denied = await awsError(
      suite.t.sts(suite.t.keysOf("alice")).send(
        new AssumeRoleCommand({
          RoleArn: arn,
          RoleSessionName: "ghost",
          SerialNumber: ALICE_MFA,
          TokenCode: suite.t.code(ALICE_MFA, 0),
        }),
      ),
    );
    assert.equal(denied.name, "AccessDenied");
    assert.equal(
      denied.message,
      `User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
    );
    const line = suite.t.auditLines().at(-1)!;
    assert.equal(line.decision, "ImplicitDeny");
    assert.match(String(line.reason), /the role does not exist/);
  });
});
