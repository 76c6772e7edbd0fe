import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  UpdateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import {
  ALICE_MFA,
  awsError,
  type Credentials,
  credentialsOf,
  startTestSandbox,
  type TestSandbox,
} from "../server/sandbox-fixture.js";

describe("IAM user self-service, authorized by the operators group's policies", () => {
  let t: TestSandbox;
  let aliceMfa: Credentials;
  before(async () => {
    t = await startTestSandbox();
    aliceMfa = credentialsOf(
      await t
        .sts(t.keysOf("alice"))
        .send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: t.code(ALICE_MFA) })),
    );
  });
  after(() => t.dispose());

  it("shows the caller's own user and MFA devices even without MFA", async () => {
    const iam = t.iam(t.keysOf("alice"));
    const user = await iam.send(new GetUserCommand({}));
    assert.equal(user.User?.Arn, "arn:aws:iam::111111111111:user/alice");
    assert.match(user.User?.UserId ?? "", /^AIDA/);
    const devices = await iam.send(new ListMFADevicesCommand({}));
    assert.deepEqual(
      devices.MFADevices?.map((d) => [d.UserName, d.SerialNumber]),
      [["alice", ALICE_MFA]],
    );
  });

  it("denies key management without MFA, saying why", async () => {
    const denied = await awsError(t.iam(t.keysOf("alice")).send(new ListAccessKeysCommand({})));
    assert.equal(denied.name, "AccessDenied");
    assert.equal(
      denied.message,
      "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: iam:ListAccessKeys on resource: arn:aws:iam::111111111111:user/alice with an explicit deny in an identity-based policy: arn:aws:iam::111111111111:policy/OperatorsSelfService",
    );
  });

  it("denies another user's keys even with MFA", async () => {
    const denied = await awsError(t.iam(aliceMfa).send(new ListAccessKeysCommand({ UserName: "bob" })));
    assert.equal(denied.name, "AccessDenied");
    assert.match(
      denied.message,
      /iam:ListAccessKeys on resource: arn:aws:iam::111111111111:user\/bob because no identity-based policy allows/,
    );
  });

  it("creates at most two keys; a new key works at once, an inactive or deleted one never", async () => {
    const iam = t.iam(aliceMfa);
    const before = await iam.send(new ListAccessKeysCommand({}));
    assert.equal(before.AccessKeyMetadata?.length, 1);
    const created = await iam.send(new CreateAccessKeyCommand({}));
    const key = created.AccessKey!;
    assert.match(key.AccessKeyId ?? "", /^AKIA[A-Z2-7]{16}$/);
    assert.equal(key.Status, "Active");
    assert.equal(key.SecretAccessKey?.length, 40);
    const fresh = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    assert.equal(
      (await t.sts(fresh).send(new GetCallerIdentityCommand({}))).Arn,
      "arn:aws:iam::111111111111:user/alice",
    );

    // One attempt: the SDK classes LimitExceededException as throttling and would retry it.
    const third = await awsError(t.iam(aliceMfa, { maxAttempts: 1 }).send(new CreateAccessKeyCommand({})));
    assert.equal(third.name, "LimitExceededException"); // the SDK's name for the wire code LimitExceeded
    assert.equal(third.status, 409);
    assert.equal(third.message, "Cannot exceed quota for AccessKeysPerUser: 2");

    await iam.send(new UpdateAccessKeyCommand({ AccessKeyId: fresh.accessKeyId, Status: "Inactive" }));
    const listed = await iam.send(new ListAccessKeysCommand({}));
    assert.equal(
      listed.AccessKeyMetadata?.find((k) => k.AccessKeyId === fresh.accessKeyId)?.Status,
      "Inactive",
    );
    const inactive = await awsError(t.sts(fresh).send(new GetCallerIdentityCommand({})));
    assert.equal(inactive.name, "InvalidClientTokenId");

    const badStatus = await awsError(
      iam.send(new UpdateAccessKeyCommand({ AccessKeyId: fresh.accessKeyId, Status: "Paused" as "Active" })),
    );
    assert.equal(badStatus.name, "ValidationError");
    assert.match(badStatus.message, /Member must satisfy enum value set: \[Active, Inactive\]/);

    await iam.send(new DeleteAccessKeyCommand({ AccessKeyId: fresh.accessKeyId }));
    const gone = await awsError(iam.send(new DeleteAccessKeyCommand({ AccessKeyId: fresh.accessKeyId })));
    assert.equal(gone.name, "NoSuchEntityException");
    assert.equal(gone.status, 404);
    assert.equal(gone.message, `The Access Key with id ${fresh.accessKeyId} cannot be found.`);
    assert.equal((await iam.send(new ListAccessKeysCommand({}))).AccessKeyMetadata?.length, 1);
  });
});
