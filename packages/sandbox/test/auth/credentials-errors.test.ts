import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { awsError, credentialsOf, sandboxSuite } from "../server/sandbox-fixture.js";

describe("authentication failures through the AWS SDK", () => {
  const suite = sandboxSuite();

  it("refuses a request signed with the wrong secret", async () => {
    const keys = suite.t.keysOf("alice");
    const last = keys.secretAccessKey.endsWith("A") ? "B" : "A";
    const wrong = { ...keys, secretAccessKey: `${keys.secretAccessKey.slice(0, -1)}${last}` };
    assert.notEqual(wrong.secretAccessKey, keys.secretAccessKey);
    const error = await awsError(suite.t.sts(wrong).send(new GetCallerIdentityCommand({})));
    assert.equal(error.name, "SignatureDoesNotMatch");
    assert.equal(error.status, 403);
    assert.match(
      error.message,
      /^The request signature we calculated does not match the signature you provided/,
    );
  });

  it("refuses an access key it does not know", async () => {
    const error = await awsError(
      suite.t
        .sts({ accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "x".repeat(40) })
        .send(new GetCallerIdentityCommand({})),
    );
    assert.equal(error.name, "InvalidClientTokenId");
    assert.equal(error.message, "The security token included in the request is invalid.");
  });

  it("refuses temporary keys without their token, with another token, and long-term keys with one", async () => {
    const creds = credentialsOf(
      await suite.t.sts(suite.t.keysOf("bob")).send(new GetSessionTokenCommand({})),
    );
    const noToken = await awsError(
      suite.t
        .sts({ accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey })
        .send(new GetCallerIdentityCommand({})),
    );
    assert.equal(noToken.name, "InvalidClientTokenId");
    const otherToken = await awsError(
      suite.t
        .sts({ ...creds, sessionToken: `${creds.sessionToken}x` })
        .send(new GetCallerIdentityCommand({})),
    );
    assert.equal(otherToken.name, "InvalidClientTokenId");
    const longTermWithToken = await awsError(
      suite.t
        .sts({ ...suite.t.keysOf("bob"), sessionToken: creds.sessionToken ?? "" })
        .send(new GetCallerIdentityCommand({})),
    );
    assert.equal(longTermWithToken.name, "InvalidClientTokenId");
  });

  it("refuses a request signed more than 15 minutes away from the sandbox's clock", async () => {
    suite.t.advance(20 * 60_000);
    try {
      // One attempt: the SDK would otherwise correct its clock from the Date header and retry.
      const error = await awsError(
        suite.t.sts(suite.t.keysOf("alice"), { maxAttempts: 1 }).send(new GetCallerIdentityCommand({})),
      );
      assert.equal(error.name, "SignatureDoesNotMatch");
      assert.match(
        error.message,
        /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
      );
      // With retries the SDK reads the sandbox's Date header, corrects its clock offset and succeeds.
      const who = await suite.t.sts(suite.t.keysOf("alice")).send(new GetCallerIdentityCommand({}));
      assert.equal(who.Arn, "arn:aws:iam::111111111111:user/alice");
    } finally {
      suite.t.advance(-20 * 60_000);
    }
  });

  it("reports an expired session token as ExpiredToken", async () => {
    const creds = credentialsOf(
      await suite.t.sts(suite.t.keysOf("carol")).send(new GetSessionTokenCommand({ DurationSeconds: 900 })),
    );
    const client = suite.t.sts(creds);
    assert.equal(
      (await client.send(new GetCallerIdentityCommand({}))).Arn,
      "arn:aws:iam::111111111111:user/carol",
    );
    suite.t.advance(901_000);
    try {
      const error = await awsError(client.send(new GetCallerIdentityCommand({})));
      assert.equal(error.name, "ExpiredToken");
      assert.equal(error.status, 403);
      assert.equal(error.message, "The security token included in the request is expired");
    } finally {
      suite.t.advance(-901_000);
    }
  });
});
