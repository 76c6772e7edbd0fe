import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GetUserCommand } from "@aws-sdk/client-iam";
import {
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
} from "@aws-sdk/client-sts";
import { defaultWorld } from "../../src/world/index.js";
import type { World } from "../../src/world/model.js";
import { awsError, credentialsOf, sandboxSuite } from "../server/sandbox-fixture.js";

/** The default world plus `broker`, a user outside the MFA-enforcing group who may federate. */
function brokerWorld(): World {
  const world = structuredClone(defaultWorld());
  const carol = world.users.find((u) => u.name === "carol")!;
  world.users.push({
    ...carol,
    name: "broker",
    arn: "arn:aws:iam::111111111111:user/broker",
    userId: "AIDABROKER0000000001",
    groups: [],
    accessKeys: [
      {
        id: "AKIABROKER0000000001",
        secret: "b".repeat(40),
        status: "Active",
        created: "2024-01-01T00:00:00Z",
      },
    ],
    inlinePolicies: {
      federate: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: "sts:GetFederationToken",
            Resource: "arn:aws:sts::111111111111:federated-user/*",
          },
          { Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" },
        ],
      },
    },
    managedPolicies: [],
  });
  return world;
}

describe("STS GetFederationToken", () => {
  const suite = sandboxSuite({ world: brokerWorld() });

  it("issues federated-user credentials that can only ask who they are", async () => {
    const answer = await suite.t.sts(suite.t.keysOf("broker")).send(
      new GetFederationTokenCommand({
        Name: "console-visitor",
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
        }),
      }),
    );
    assert.equal(answer.FederatedUser?.Arn, "arn:aws:sts::111111111111:federated-user/console-visitor");
    assert.equal(answer.FederatedUser?.FederatedUserId, "111111111111:console-visitor");
    const creds = credentialsOf(answer);
    const who = await suite.t.sts(creds).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, "arn:aws:sts::111111111111:federated-user/console-visitor");
    assert.equal(who.UserId, "111111111111:console-visitor");
    const sts = await awsError(suite.t.sts(creds).send(new GetSessionTokenCommand({})));
    assert.equal(sts.name, "AccessDenied");
    const iam = await awsError(suite.t.iam(creds).send(new GetUserCommand({ UserName: "broker" })));
    assert.equal(iam.name, "AccessDenied");
  });

  it("is denied to operators, whose group denies everything without MFA (and it cannot carry MFA)", async () => {
    const denied = await awsError(
      suite.t.sts(suite.t.keysOf("alice")).send(new GetFederationTokenCommand({ Name: "alice-web" })),
    );
    assert.equal(denied.name, "AccessDenied");
    assert.equal(
      denied.message,
      "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::111111111111:federated-user/alice-web",
    );
  });

  it("rejects a malformed session policy", async () => {
    const bad = await awsError(
      suite.t
        .sts(suite.t.keysOf("broker"))
        .send(new GetFederationTokenCommand({ Name: "x1", Policy: "{nope" })),
    );
    assert.equal(bad.name, "MalformedPolicyDocumentException"); // the SDK's name for the wire code
    assert.equal(bad.message, "The policy is not in the valid JSON format.");
  });
});
