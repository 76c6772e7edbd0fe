import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GetUserCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import {
  ALICE_MFA,
  awsError,
  BOB_MFA,
  credentialsOf,
  SWITCH_ROLE,
  sandboxSuite,
} from "../server/sandbox-fixture.js";

describe("STS GetCallerIdentity and GetSessionToken", () => {
  const suite = sandboxSuite();

  it("tells a long-term key's user who it is", async () => {
    const answer = await suite.t.sts(suite.t.keysOf("alice")).send(new GetCallerIdentityCommand({}));
    const alice = suite.t.world.users.find((u) => u.name === "alice")!;
    assert.equal(answer.Arn, "arn:aws:iam::111111111111:user/alice");
    assert.equal(answer.Account, "111111111111");
    assert.equal(answer.UserId, alice.userId);
    assert.match(answer.UserId ?? "", /^AIDA/);
  });

  it("issues session credentials without MFA that act as the user but cannot call IAM", async () => {
    const answer = await suite.t.sts(suite.t.keysOf("bob")).send(new GetSessionTokenCommand({}));
    const creds = credentialsOf(answer);
    assert.match(creds.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
    const lifetime = answer.Credentials!.Expiration!.getTime() - suite.t.now();
    assert.ok(Math.abs(lifetime - 43200_000) < 60_000, `default lifetime is 12 h, got ${lifetime} ms`);
    const who = await suite.t.sts(creds).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, "arn:aws:iam::111111111111:user/bob");
    const iam = await awsError(suite.t.iam(creds).send(new GetUserCommand({})));
    assert.equal(iam.name, "InvalidClientTokenId");
    assert.equal(iam.message, "The security token included in the request is invalid.");
    const again = await awsError(suite.t.sts(creds).send(new GetSessionTokenCommand({})));
    assert.equal(again.name, "AccessDenied");
    assert.equal(again.message, "Cannot call GetSessionToken with session credentials");
  });

  it("issues MFA session credentials that reach IAM and assume an MFA-only role without a new code", async () => {
    const answer = await suite.t.sts(suite.t.keysOf("alice")).send(
      new GetSessionTokenCommand({
        SerialNumber: ALICE_MFA,
        TokenCode: suite.t.code(ALICE_MFA),
        DurationSeconds: 3600,
      }),
    );
    const creds = credentialsOf(answer);
    const lifetime = answer.Credentials!.Expiration!.getTime() - suite.t.now();
    assert.ok(Math.abs(lifetime - 3600_000) < 60_000);
    const user = await suite.t.iam(creds).send(new GetUserCommand({}));
    assert.equal(user.User?.UserName, "alice");
    const role = await suite.t
      .sts(creds)
      .send(new AssumeRoleCommand({ RoleArn: SWITCH_ROLE, RoleSessionName: "via-session-token" }));
    assert.equal(
      role.AssumedRoleUser?.Arn,
      "arn:aws:sts::222222222222:assumed-role/Role-for-switch/via-session-token",
    );
  });

  it("refuses another user's MFA device and a wrong code", async () => {
    const foreign = await awsError(
      suite.t
        .sts(suite.t.keysOf("alice"))
        .send(new GetSessionTokenCommand({ SerialNumber: BOB_MFA, TokenCode: suite.t.code(BOB_MFA) })),
    );
    assert.equal(foreign.name, "AccessDenied");
    assert.equal(
      foreign.message,
      "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.",
    );
    const wrong = suite.t.code(ALICE_MFA, 5);
    const bad = await awsError(
      suite.t
        .sts(suite.t.keysOf("alice"))
        .send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: wrong })),
    );
    assert.equal(bad.name, "AccessDenied");
    assert.equal(bad.message, "MultiFactorAuthentication failed with invalid MFA one time pass code.");
    const half = await awsError(
      suite.t.sts(suite.t.keysOf("alice")).send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA })),
    );
    assert.equal(
      half.message,
      "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.",
    );
  });

  it("rejects durations outside 900–129600 seconds with AWS's validation message", async () => {
    const short = await awsError(
      suite.t.sts(suite.t.keysOf("carol")).send(new GetSessionTokenCommand({ DurationSeconds: 100 })),
    );
    assert.equal(short.name, "ValidationError");
    assert.equal(short.status, 400);
    assert.equal(
      short.message,
      "1 validation error detected: Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
    const long = await awsError(
      suite.t.sts(suite.t.keysOf("carol")).send(new GetSessionTokenCommand({ DurationSeconds: 129601 })),
    );
    assert.match(long.message, /Member must have value less than or equal to 129600$/);
  });
});
