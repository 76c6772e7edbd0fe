import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { defaultWorld } from "../../src/world/index.js";
import type { IamRole, World } from "../../src/world/model.js";
import { ALICE_MFA, awsError, credentialsOf, SWITCH_ROLE, sandboxSuite } from "../server/sandbox-fixture.js";

const CHAIN_TARGET = "arn:aws:iam::222222222222:role/chain-target";
const TAG_CHECK = "arn:aws:iam::222222222222:role/tag-check";

/** The default world plus two roles that check, in their trust policies, what a chain carries. */
function chainWorld(): World {
  const world = structuredClone(defaultWorld());
  const switchRole = world.roles.find((r) => r.arn === SWITCH_ROLE)!;
  switchRole.trust = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111111111111:root" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
      },
    ],
  };
  switchRole.inlinePolicies.chain = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSession"], Resource: CHAIN_TARGET }],
  };
  // Cross-account tagging needs alice's own permission too.
  world.users.find((u) => u.name === "alice")!.inlinePolicies.tagging = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "sts:TagSession", Resource: "arn:aws:iam::222222222222:role/*" }],
  };
  const base: IamRole = {
    ...switchRole,
    inlinePolicies: {},
    managedPolicies: [],
    tags: {},
    maxSessionDuration: 3600,
  };
  world.roles.push(
    {
      ...base,
      name: "chain-target",
      arn: CHAIN_TARGET,
      roleId: "AROACHAINTARGET00001",
      tags: { Team: "red", Level: "2" },
      trust: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: SWITCH_ROLE },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Condition: {
              StringEquals: { "aws:PrincipalTag/Team": "blue", "sts:ExternalId": "ext-123" },
              Bool: { "aws:MultiFactorAuthPresent": "true" },
            },
          },
        ],
      },
      inlinePolicies: {
        next: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSession"], Resource: TAG_CHECK }],
        },
      },
    },
    {
      ...base,
      name: "tag-check",
      arn: TAG_CHECK,
      roleId: "AROATAGCHECK00000001",
      trust: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: CHAIN_TARGET },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            // Team came transitively from the first hop and overrides the role tag; Project was not transitive.
            Condition: {
              StringEquals: { "aws:PrincipalTag/Team": "blue", "aws:PrincipalTag/Level": "2" },
              Null: { "aws:PrincipalTag/Project": "true" },
              Bool: { "aws:MultiFactorAuthPresent": "true" },
            },
          },
        ],
      },
    },
  );
  return world;
}

describe("STS role chains: session tags, transitive tags, ExternalId and MFA carried along", () => {
  const suite = sandboxSuite({ world: chainWorld() });

  it("carries transitive tags and MFA through two hops and checks ExternalId", async () => {
    const first = await suite.t.sts(suite.t.keysOf("alice")).send(
      new AssumeRoleCommand({
        RoleArn: SWITCH_ROLE,
        RoleSessionName: "hop1",
        SerialNumber: ALICE_MFA,
        TokenCode: suite.t.code(ALICE_MFA),
        Tags: [
          { Key: "Team", Value: "blue" },
          { Key: "Project", Value: "x" },
        ],
        TransitiveTagKeys: ["Team"],
      }),
    );
    const hop1 = suite.t.sts(credentialsOf(first));

    const noExternalId = await awsError(
      hop1.send(new AssumeRoleCommand({ RoleArn: CHAIN_TARGET, RoleSessionName: "hop2" })),
    );
    assert.equal(noExternalId.name, "AccessDenied");
    assert.equal(
      noExternalId.message,
      `User: arn:aws:sts::222222222222:assumed-role/Role-for-switch/hop1 is not authorized to perform: sts:TagSession on resource: ${CHAIN_TARGET}`,
    );

    const second = await hop1.send(
      new AssumeRoleCommand({ RoleArn: CHAIN_TARGET, RoleSessionName: "hop2", ExternalId: "ext-123" }),
    );
    const third = await suite.t
      .sts(credentialsOf(second))
      .send(new AssumeRoleCommand({ RoleArn: TAG_CHECK, RoleSessionName: "hop3" }));
    assert.equal(third.AssumedRoleUser?.Arn, "arn:aws:sts::222222222222:assumed-role/tag-check/hop3");
  });

  it("refuses to set an inherited transitive tag again", async () => {
    const first = await suite.t.sts(suite.t.keysOf("alice")).send(
      new AssumeRoleCommand({
        RoleArn: SWITCH_ROLE,
        RoleSessionName: "hop1b",
        SerialNumber: ALICE_MFA,
        TokenCode: suite.t.code(ALICE_MFA, 1),
        Tags: [{ Key: "Team", Value: "blue" }],
        TransitiveTagKeys: ["Team"],
      }),
    );
    const refused = await awsError(
      suite.t.sts(credentialsOf(first)).send(
        new AssumeRoleCommand({
          RoleArn: CHAIN_TARGET,
          RoleSessionName: "hop2b",
          ExternalId: "ext-123",
          Tags: [{ Key: "team", Value: "green" }],
        }),
      ),
    );
    assert.equal(refused.name, "ValidationError");
    assert.match(refused.message, /transitive session tag/);
  });
});
