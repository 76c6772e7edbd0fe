// IAM's policy simulator and role reads through @aws-sdk/client-iam, as `tobira doctor` calls them: the
// project-a role simulating itself and the instance role, with the context it fills in itself.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  type ContextEntry,
  GetInstanceProfileCommand,
  GetRoleCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
} from "@aws-sdk/client-iam";
import { GetKeyPolicyCommand, KMSClient } from "@aws-sdk/client-kms";
import { AssumeRoleCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { defaultWorld } from "../../src/world/index.js";
import {
  ALICE_MFA,
  awsError,
  type Credentials,
  credentialsOf,
  PROJECT_A_ROLE,
  startTestSandbox,
  type TestSandbox,
} from "../server/sandbox-fixture.js";

const INSTANCE_ROLE = "arn:aws:iam::222222222222:role/SSMInstanceRole";
const KEY_ARN = "arn:aws:kms:ap-northeast-1:222222222222:key/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const WEB_A = "arn:aws:ec2:ap-northeast-1:222222222222:instance/i-0a1a0000000000001";
const SSH_DOCUMENT = "arn:aws:ssm:ap-northeast-1::document/AWS-StartSSHSession";

function tags(resource: string, principal: string): ContextEntry[] {
  return [
    { ContextKeyName: "aws:ResourceTag/Project", ContextKeyType: "string", ContextKeyValues: [resource] },
    { ContextKeyName: "aws:PrincipalTag/Project", ContextKeyType: "string", ContextKeyValues: [principal] },
  ];
}

/** The default world, where alice may also call SimulateCustomPolicy. */
function worldWithCustomSimulation() {
  const world = structuredClone(defaultWorld());
  const alice = world.users.find((u) => u.name === "alice")!;
  alice.inlinePolicies.simulate = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "iam:SimulateCustomPolicy", Resource: "*" }],
  };
  return world;
}

describe("IAM SimulatePrincipalPolicy, SimulateCustomPolicy, GetRole", () => {
  let t: TestSandbox;
  let role: Credentials;
  before(async () => {
    t = await startTestSandbox({ world: worldWithCustomSimulation() });
    role = credentialsOf(
      await t.sts(t.keysOf("alice")).send(
        new AssumeRoleCommand({
          RoleArn: PROJECT_A_ROLE,
          RoleSessionName: "alice",
          SerialNumber: ALICE_MFA,
          TokenCode: t.code(ALICE_MFA),
        }),
      ),
    );
  });
  after(() => t.dispose());

  it("allows StartSession on the role's own project's instance and names the policy that allows it", async () => {
    const answer = await t.iam(role).send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: PROJECT_A_ROLE,
        ActionNames: ["ssm:StartSession"],
        ResourceArns: [WEB_A, SSH_DOCUMENT],
        ContextEntries: tags("project-a", "project-a"),
      }),
    );
    assert.deepEqual(
      answer.EvaluationResults?.map((r) => [r.EvalResourceName, r.EvalDecision]),
      [
        [WEB_A, "allowed"],
        [SSH_DOCUMENT, "allowed"],
      ],
    );
    const first = answer.EvaluationResults?.[0];
    assert.deepEqual(first?.MatchedStatements, [
      { SourcePolicyId: "SessionManagerByProject", SourcePolicyType: "user-managed" },
    ]);
    assert.deepEqual(first?.MissingContextValues ?? [], ["ssm:SessionDocumentAccessCheck"]);
    assert.equal(answer.IsTruncated, false);
  });

  it("is an implicit deny when the tags differ, with the context keys left out listed", async () => {
    const mismatch = await t.iam(role).send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: PROJECT_A_ROLE,
        ActionNames: ["ssm:StartSession"],
        ResourceArns: [WEB_A],
        ContextEntries: tags("project-b", "project-a"),
      }),
    );
    assert.equal(mismatch.EvaluationResults?.[0]?.EvalDecision, "implicitDeny");
    assert.deepEqual(mismatch.EvaluationResults?.[0]?.MatchedStatements ?? [], []);
    const bare = await t.iam(role).send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: PROJECT_A_ROLE,
        ActionNames: ["ssm:StartSession"],
        ResourceArns: [WEB_A],
      }),
    );
    assert.equal(bare.EvaluationResults?.[0]?.EvalDecision, "implicitDeny");
    assert.deepEqual([...(bare.EvaluationResults?.[0]?.MissingContextValues ?? [])].sort(), [
      "aws:ResourceTag/Project",
      "ssm:SessionDocumentAccessCheck",
    ]);
  });

  it("simulates the instance role's kms:Decrypt with the key policy, and an explicit deny added", async () => {
    const policy = JSON.stringify(defaultWorld().kmsKeys[0]!.policy);
    const iam = t.iam(role);
    const allowed = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: INSTANCE_ROLE,
        ActionNames: ["kms:Decrypt", "kms:GenerateDataKey"],
        ResourceArns: [KEY_ARN],
        ResourcePolicy: policy,
      }),
    );
    assert.deepEqual(
      allowed.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalDecision]),
      [
        ["kms:Decrypt", "allowed"],
        ["kms:GenerateDataKey", "implicitDeny"],
      ],
    );
    const denied = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: INSTANCE_ROLE,
        ActionNames: ["kms:Decrypt"],
        ResourceArns: [KEY_ARN],
        ResourcePolicy: policy,
        PolicyInputList: [
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Sid: "NoDecrypt", Effect: "Deny", Action: "kms:Decrypt", Resource: "*" }],
          }),
        ],
      }),
    );
    assert.equal(denied.EvaluationResults?.[0]?.EvalDecision, "explicitDeny");
    assert.deepEqual(denied.EvaluationResults?.[0]?.MatchedStatements, [
      { SourcePolicyId: "PolicyInputList.1", SourcePolicyType: "none" },
    ]);
  });

  it("refuses to simulate a role the caller may not, and names a malformed policy", async () => {
    const iam = t.iam(role);
    const other = await awsError(
      iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: "arn:aws:iam::222222222222:role/project-b-operator",
          ActionNames: ["ssm:StartSession"],
        }),
      ),
    );
    assert.equal(other.name, "AccessDenied");
    assert.match(
      other.message,
      /^User: arn:aws:sts::222222222222:assumed-role\/project-a-operator\/alice is not authorized to perform: iam:SimulatePrincipalPolicy on resource: arn:aws:iam::222222222222:role\/project-b-operator because no identity-based policy allows the iam:SimulatePrincipalPolicy action$/,
    );
    const bad = await awsError(
      iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: PROJECT_A_ROLE,
          ActionNames: ["ssm:StartSession"],
          PolicyInputList: ["{not json"],
        }),
      ),
    );
    // IAM answers the code MalformedPolicyDocument; the SDK names the exception after its shape.
    assert.equal(bad.name, "MalformedPolicyDocumentException");
  });

  it("SimulateCustomPolicy decides only the policies given, with the context given", async () => {
    const mfaOnly = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "sts:GetCallerIdentity",
          Resource: "*",
          Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
        },
      ],
    });
    const decide = async (credentials: Credentials, present: string) =>
      (
        await t.iam(credentials).send(
          new SimulateCustomPolicyCommand({
            PolicyInputList: [mfaOnly],
            ActionNames: ["sts:GetCallerIdentity", "s3:ListBucket"],
            ContextEntries: [
              {
                ContextKeyName: "aws:MultiFactorAuthPresent",
                ContextKeyType: "boolean",
                ContextKeyValues: [present],
              },
            ],
          }),
        )
      ).EvaluationResults?.map((r) => r.EvalDecision);
    const withMfa = credentialsOf(
      await t
        .sts(t.keysOf("alice"))
        .send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: t.code(ALICE_MFA, 1) })),
    );
    assert.deepEqual(await decide(withMfa, "true"), ["allowed", "implicitDeny"]);
    assert.deepEqual(await decide(withMfa, "false"), ["implicitDeny", "implicitDeny"]);
    // alice's long-term key has no MFA: the group's deny-without-MFA applies to her call itself.
    const denied = await awsError(decide(t.keysOf("alice"), "true"));
    assert.equal(denied.name, "AccessDenied");
    assert.match(denied.message, /iam:SimulateCustomPolicy on resource: \* with an explicit deny/);
  });

  it("GetRole shows the role's tags, maximum duration and URL-encoded trust policy", async () => {
    const answer = await t.iam(role).send(new GetRoleCommand({ RoleName: "project-a-operator" }));
    assert.equal(answer.Role?.Arn, PROJECT_A_ROLE);
    assert.equal(answer.Role?.MaxSessionDuration, 3600);
    assert.deepEqual(
      answer.Role?.Tags?.map((tag) => [tag.Key, tag.Value]),
      [
        ["Project", "project-a"],
        ["SSMSessionRunAs", "os-user1"],
      ],
    );
    const trust = JSON.parse(decodeURIComponent(answer.Role?.AssumeRolePolicyDocument ?? ""));
    assert.deepEqual(trust.Statement[0].Condition, { Bool: { "aws:MultiFactorAuthPresent": "true" } });
    const profile = await t
      .iam(role)
      .send(new GetInstanceProfileCommand({ InstanceProfileName: "SSMInstanceRole" }));
    assert.equal(profile.InstanceProfile?.Roles?.[0]?.Arn, INSTANCE_ROLE);
    const denied = await awsError(t.iam(role).send(new GetRoleCommand({ RoleName: "project-b-operator" })));
    assert.equal(denied.name, "AccessDenied");
  });

  it("GetKeyPolicy gives the key policy as JSON text to a role the account's IAM lets read it", async () => {
    const kms = new KMSClient({ endpoint: t.sandbox.endpoint, region: "ap-northeast-1", credentials: role });
    const answer = await kms.send(new GetKeyPolicyCommand({ KeyId: KEY_ARN }));
    assert.equal(answer.PolicyName, "default");
    assert.deepEqual(JSON.parse(answer.Policy ?? ""), defaultWorld().kmsKeys[0]!.policy);
  });
});
