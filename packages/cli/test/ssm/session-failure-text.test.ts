import assert from "node:assert/strict";
import { test } from "node:test";
import { awsCallError } from "../../src/sessions/ssm/aws-error-text.js";
import { sessionFailure } from "../../src/sessions/ssm/open-session.js";

/** Shaped as AWS SDK v3 service exceptions are: the error code is the name. */
function serviceError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

test("TargetNotConnected is said in AWS's words, with what to check", () => {
  const error = awsCallError(
    serviceError("TargetNotConnected", "i-0a1a0000000000001 is not connected."),
    "StartSession",
    { profile: "project-a", target: "i-0a1a0000000000001" },
  );
  assert.equal(
    error.message,
    "An error occurred (TargetNotConnected) when calling the StartSession operation: i-0a1a0000000000001 is not connected.",
  );
  assert.equal(error.code, "TargetNotConnected");
  assert.match(error.hint ?? "", /SSM agent is not connected: start the instance/);
  assert.match(error.hint ?? "", /tobira targets --profile project-a/);
});

test("an expired token points at clearing the cached session", () => {
  const error = awsCallError(
    serviceError("ExpiredTokenException", "The security token included in the request is expired"),
    "DescribeInstanceInformation",
    { profile: "project-a" },
  );
  assert.match(error.hint ?? "", /tobira clear project-a/);
});

test("no answer at all is said as the network's failure, never as an AWS error code", () => {
  // As Node's http client rejects: a plain Error whose code is the errno name.
  const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:42459"), { code: "ECONNREFUSED" });
  const error = awsCallError(refused, "DescribeInstances", { profile: "project-a" });
  assert.equal(
    error.message,
    "DescribeInstances got no answer from AWS: connect ECONNREFUSED 127.0.0.1:42459",
  );
  assert.equal(error.code, "ECONNREFUSED");
  assert.match(error.hint ?? "", /nothing answers at the endpoint: check endpoint_url/);
  const unresolved = Object.assign(new Error("getaddrinfo ENOTFOUND ssm.eu-west-1.amazonaws.com"), {
    code: "ENOTFOUND",
  });
  assert.match(
    awsCallError(unresolved, "StartSession", { profile: "p" }).hint ?? "",
    /host name does not resolve/,
  );
});

test("a normal end of the session is no failure", () => {
  assert.equal(
    sessionFailure({
      sessionId: "alice-1",
      profile: "p",
      keyId: undefined,
      end: { reason: "channel-closed", output: "" },
      startError: undefined,
    }),
    undefined,
  );
});

test("the agent's words come first, prefixed by the session id as the plugin prints them", () => {
  const failure = sessionFailure({
    sessionId: "alice-1",
    profile: "project-a",
    keyId: "alias/session-manager",
    end: {
      reason: "channel-closed",
      output:
        "Encountered error while initiating handshake. KMSEncryption failed on client with status 2 error: Failed to process action KMSEncryption: Error calling KMS GenerateDataKey API: AccessDeniedException: User: x is not authorized",
    },
    startError: new Error(
      "KMS encryption failed: Error calling KMS GenerateDataKey API: AccessDeniedException",
    ),
  });
  assert.ok(failure);
  assert.match(failure.message, /^SessionId: alice-1 : Encountered error while initiating handshake\./);
  assert.match(
    failure.hint ?? "",
    /^the role of profile 'project-a' needs kms:GenerateDataKey on alias\/session-manager/,
  );
});

test("a dropped socket before any exit status is a failure that says so", () => {
  const failure = sessionFailure({
    sessionId: "alice-2",
    profile: "p",
    keyId: undefined,
    end: { reason: "transport-closed" },
    startError: undefined,
  });
  assert.equal(failure?.message, "the data channel of session alice-2 closed unexpectedly");
});
