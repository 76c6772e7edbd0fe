// The example app's stack behaves as the article wants, proven offline: real STS, IAM, SSM and EC2 calls
// through the AWS SDK against an in-process sandbox serving the synthesized template, and a behaviour table
// decided by the sandbox's policy engine and by @cloud-copilot/iam-simulate (AGPL, test-only), which must
// agree and must use every context key given.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EC2Client, StopInstancesCommand } from "@aws-sdk/client-ec2";
import { GetUserCommand, ListAccessKeysCommand, ListMFADevicesCommand } from "@aws-sdk/client-iam";
import { SSMClient, StartSessionCommand, TerminateSessionCommand } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import {
  type Decision,
  denialMessage,
  type EvaluationInput,
  evaluatePolicies,
  type NamedPolicy,
  type RequestContextValues,
  type RequestPrincipal,
} from "../../src/policy/index.js";
import { rolePolicies, userPolicies } from "../../src/services/world-lookup.js";
import type { IamRole, IamUser, Instance } from "../../src/world/model.js";
import { referenceDecision } from "../policy/iam-simulate-reference.js";
import { awsError, credentialsOf, startTestSandbox, type TestSandbox } from "../server/sandbox-fixture.js";
import {
  ARTICLE_ACCOUNT as A,
  type ArticleWorld,
  loadArticleWorld,
  ARTICLE_REGION as R,
} from "./article-world.js";

const loaded: ArticleWorld = loadArticleWorld();
const { world } = loaded;
const operator1 = world.users.find((u) => u.name === "operator1")!;
const operator2 = world.users.find((u) => u.name === "operator2")!;
const MFA1 = operator1.mfaDevices[0]!.serial;

describe("the example stack through real STS and IAM calls", () => {
  let sandbox: TestSandbox;
  before(async () => {
    sandbox = await startTestSandbox({ world });
  });
  after(async () => {
    await sandbox.dispose();
  });

  it("lets a user without MFA see and set up its MFA device, and nothing else", async () => {
    const iam = sandbox.iam(sandbox.keysOf("operator1"));
    const devices = await iam.send(new ListMFADevicesCommand({}));
    assert.deepEqual(
      devices.MFADevices?.map((d) => d.SerialNumber),
      [MFA1],
    );
    assert.equal((await iam.send(new GetUserCommand({}))).User?.UserName, "operator1");
    const denied = await awsError(iam.send(new ListAccessKeysCommand({})));
    assert.equal(denied.name, "AccessDenied");
    assert.match(denied.message, /iam:ListAccessKeys .* with an explicit deny in an identity-based policy/);
  });

  it("refuses the project-1 role without MFA and grants it with MFA", async () => {
    const sts = sandbox.sts(sandbox.keysOf("operator1"));
    const request = { RoleArn: loaded.project1Role.arn, RoleSessionName: "operator1" };
    const denied = await awsError(sts.send(new AssumeRoleCommand(request)));
    assert.equal(denied.name, "AccessDenied");
    assert.ok(denied.message.includes(loaded.project1Role.arn), denied.message);
    const answer = await sts.send(
      new AssumeRoleCommand({ ...request, SerialNumber: MFA1, TokenCode: sandbox.code(MFA1) }),
    );
    const identity = await sandbox.sts(credentialsOf(answer)).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, `arn:aws:sts::${A}:assumed-role/${loaded.project1Role.name}/operator1`);
    assert.equal(identity.UserId, `${loaded.project1Role.roleId}:operator1`);
  });

  it("refuses the project-2 role to operator1 even with MFA, and gives operator1 the shared project-2 role", async () => {
    const sts = sandbox.sts(sandbox.keysOf("operator1"));
    const denied = await awsError(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: loaded.project2Role.arn,
          RoleSessionName: "operator1",
          SerialNumber: MFA1,
          TokenCode: sandbox.code(MFA1, 1),
        }),
      ),
    );
    assert.equal(denied.name, "AccessDenied");
    sandbox.advance(90_000);
    const shared = await sts.send(
      new AssumeRoleCommand({
        RoleArn: loaded.project2SharedRole.arn,
        RoleSessionName: "operator1",
        SerialNumber: MFA1,
        TokenCode: sandbox.code(MFA1),
      }),
    );
    assert.ok(credentialsOf(shared).sessionToken);
  });

  it("manages access keys once signed in with MFA", async () => {
    sandbox.advance(90_000);
    const session = await sandbox
      .sts(sandbox.keysOf("operator1"))
      .send(new GetSessionTokenCommand({ SerialNumber: MFA1, TokenCode: sandbox.code(MFA1) }));
    const keys = await sandbox.iam(credentialsOf(session)).send(new ListAccessKeysCommand({}));
    assert.deepEqual(
      keys.AccessKeyMetadata?.map((k) => k.AccessKeyId),
      [operator1.accessKeys[0]!.id],
    );
  });

  it("writes role profiles with mfa_serial to the sandbox's AWS config", () => {
    const config = readFileSync(join(sandbox.stateDir, "config"), "utf8");
    assert.ok(config.includes(`[profile ${loaded.project1Role.name}]`), config);
    assert.ok(config.includes(`role_arn = ${loaded.project1Role.arn}`));
    assert.ok(config.includes(`mfa_serial = ${MFA1}`));
  });
});

describe("the example stack through real SSM and EC2 calls", () => {
  let sandbox: TestSandbox;
  let p1: ReturnType<typeof credentialsOf>;
  let p2: ReturnType<typeof credentialsOf>;
  const ssm = (credentials: typeof p1) =>
    new SSMClient({ endpoint: sandbox.sandbox.endpoint, region: R, credentials, maxAttempts: 1 });
  const ec2 = (credentials: typeof p1) =>
    new EC2Client({ endpoint: sandbox.sandbox.endpoint, region: R, credentials, maxAttempts: 1 });
  const { project1, project2 } = loaded.instances;

  before(async () => {
    sandbox = await startTestSandbox({ world });
    const assume = async (user: IamUser, role: IamRole) => {
      const serial = user.mfaDevices[0]!.serial;
      const answer = await sandbox.sts(sandbox.keysOf(user.name)).send(
        new AssumeRoleCommand({
          RoleArn: role.arn,
          RoleSessionName: user.name,
          SerialNumber: serial,
          TokenCode: sandbox.code(serial),
        }),
      );
      return credentialsOf(answer);
    };
    p1 = await assume(operator1, loaded.project1Role);
    p2 = await assume(operator2, loaded.project2Role);
  });
  after(async () => {
    await sandbox.dispose();
  });

  it("opens a shell on a project-1 instance and is denied on project-2 with AWS's message", async () => {
    const started = await ssm(p1).send(new StartSessionCommand({ Target: project1.id }));
    assert.match(started.SessionId ?? "", /^operator1-/);
    const denied = await awsError(ssm(p1).send(new StartSessionCommand({ Target: project2.id })));
    assert.equal(denied.name, "AccessDeniedException");
    assert.equal(
      denied.message,
      `User: arn:aws:sts::${A}:assumed-role/${loaded.project1Role.name}/operator1 is not authorized to perform: ssm:StartSession on resource: arn:aws:ec2:${R}:${A}:instance/${project2.id} because no identity-based policy allows the ssm:StartSession action`,
    );
  });

  it("uses the documents it was given and no other", async () => {
    const forwarding = await ssm(p1).send(
      new StartSessionCommand({
        Target: project1.id,
        DocumentName: "AWS-StartPortForwardingSession",
        Parameters: { portNumber: ["80"], localPortNumber: ["18080"] },
      }),
    );
    assert.ok(forwarding.SessionId);
    const ssh = await awsError(
      ssm(p1).send(
        new StartSessionCommand({
          Target: project1.id,
          DocumentName: "AWS-StartSSHSession",
          Parameters: { portNumber: ["22"] },
        }),
      ),
    );
    assert.equal(ssh.name, "AccessDeniedException");
    assert.ok(ssh.message.includes(`arn:aws:ssm:${R}::document/AWS-StartSSHSession`), ssh.message);
  });

  it("terminates its own session and not another user's", async () => {
    const own = await ssm(p1).send(new StartSessionCommand({ Target: project1.id }));
    const other = await ssm(p2).send(new StartSessionCommand({ Target: project2.id }));
    const denied = await awsError(ssm(p1).send(new TerminateSessionCommand({ SessionId: other.SessionId })));
    assert.equal(denied.name, "AccessDeniedException");
    assert.ok(denied.message.includes(`session/${other.SessionId}`), denied.message);
    const ended = await ssm(p1).send(new TerminateSessionCommand({ SessionId: own.SessionId }));
    assert.equal(ended.SessionId, own.SessionId);
  });

  it("stops a project-1 instance and not a project-2 one", async () => {
    const stopped = await ec2(p1).send(new StopInstancesCommand({ InstanceIds: [project1.id] }));
    assert.deepEqual(
      stopped.StoppingInstances?.map((i) => i.InstanceId),
      [project1.id],
    );
    const denied = await awsError(ec2(p1).send(new StopInstancesCommand({ InstanceIds: [project2.id] })));
    assert.equal(denied.name, "UnauthorizedOperation");
  });
});

// ---- The behaviour table: each request decided by our engine and by iam-simulate. ----

interface Case {
  name: string;
  action: string;
  resource: string;
  principal: RequestPrincipal;
  context: RequestContextValues;
  identityPolicies: NamedPolicy[];
  resourcePolicy?: NamedPolicy;
  combine?: EvaluationInput["combine"];
  expected: Decision;
}

const root = `arn:aws:iam::${A}:root`;

function asUser(user: IamUser, mfa: boolean): Pick<Case, "principal" | "context" | "identityPolicies"> {
  const context: RequestContextValues = {
    "aws:username": user.name,
    "aws:userid": user.userId,
    "aws:PrincipalArn": user.arn,
    "aws:PrincipalAccount": user.account,
    "aws:PrincipalType": "User",
  };
  // Long-term keys carry no MFA key at all; an MFA session says true.
  if (mfa) Object.assign(context, { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "30" });
  return {
    principal: { arn: user.arn, account: user.account, matchArns: [user.arn, root, user.account] },
    context,
    identityPolicies: userPolicies(world, user),
  };
}

function asRole(
  role: IamRole,
  sessionName: string,
): Pick<Case, "principal" | "context" | "identityPolicies"> {
  const arn = `arn:aws:sts::${A}:assumed-role/${role.name}/${sessionName}`;
  const context: RequestContextValues = {
    "aws:userid": `${role.roleId}:${sessionName}`,
    "aws:PrincipalArn": role.arn,
    "aws:PrincipalAccount": A,
    "aws:PrincipalType": "AssumedRole",
    "aws:MultiFactorAuthPresent": "true",
    "aws:MultiFactorAuthAge": "30",
  };
  for (const [key, value] of Object.entries(role.tags)) context[`aws:PrincipalTag/${key}`] = value;
  return {
    principal: { arn, account: A, matchArns: [arn, role.arn, root, A] },
    context,
    identityPolicies: rolePolicies(world, role),
  };
}

/** The tag keys AWS puts in the request for an instance: aws:ResourceTag/K plus the service's own spelling. */
function instanceTags(
  instance: Instance,
  servicePrefix: "ssm:resourceTag" | "ec2:ResourceTag",
): RequestContextValues {
  const context: RequestContextValues = {};
  for (const [key, value] of Object.entries(instance.tags)) {
    context[`aws:ResourceTag/${key}`] = value;
    context[`${servicePrefix}/${key}`] = value;
  }
  return context;
}

const instanceArn = (instance: Instance) => `arn:aws:ec2:${R}:${A}:instance/${instance.id}`;
const documentArn = (name: string) =>
  name.startsWith("AWS-") ? `arn:aws:ssm:${R}::document/${name}` : `arn:aws:ssm:${R}:${A}:document/${name}`;

function session(owner: string, target: Instance): { resource: string; context: RequestContextValues } {
  return {
    resource: `arn:aws:ssm:${R}:${A}:session/${owner.split(":")[1]}-0123456789abcdef0`,
    context: {
      "ssm:resourceTag/aws:ssmmessages:session-id": owner,
      "ssm:resourceTag/aws:ssmmessages:target-id": target.id,
    },
  };
}

function cases(): Case[] {
  const p1 = asRole(loaded.project1Role, "operator1");
  const p2 = asRole(loaded.project2Role, "operator2");
  const { project1, project2, untagged } = loaded.instances;
  const withRole = (
    who: Pick<typeof p1, "principal" | "context" | "identityPolicies">,
    name: string,
    action: string,
    resource: string,
    context: RequestContextValues,
    expected: Decision,
  ): Case => ({
    name,
    action,
    resource,
    principal: who.principal,
    context: { ...who.context, ...context },
    identityPolicies: who.identityPolicies,
    expected,
  });
  const noMfa = asUser(operator1, false);
  const withMfa = asUser(operator1, true);
  const own = `arn:aws:iam::${A}:user/operator1`;
  const asUserCase = (
    who: typeof noMfa,
    name: string,
    action: string,
    resource: string,
    expected: Decision,
    context: RequestContextValues = {},
  ): Case => withRole(who, name, action, resource, context, expected);
  const key = world.kmsKeys[0]!;
  const keyPolicy = { name: key.arn, document: key.policy };
  const trust = (role: IamRole): NamedPolicy => ({ name: role.arn, document: role.trust });
  const otherSession = session(`${loaded.project2Role.roleId}:operator2`, project1);
  const ownSession = session(`${loaded.project1Role.roleId}:operator1`, project1);
  return [
    // A user before MFA: set up the device and the password, nothing else.
    asUserCase(noMfa, "no MFA: ListMFADevices on self", "iam:ListMFADevices", own, "Allow"),
    asUserCase(
      noMfa,
      "no MFA: CreateVirtualMFADevice",
      "iam:CreateVirtualMFADevice",
      `arn:aws:iam::${A}:mfa/operator1`,
      "Allow",
    ),
    asUserCase(noMfa, "no MFA: EnableMFADevice on self", "iam:EnableMFADevice", own, "Allow"),
    asUserCase(noMfa, "no MFA: ChangePassword", "iam:ChangePassword", own, "Allow"),
    asUserCase(noMfa, "no MFA: GetAccountPasswordPolicy", "iam:GetAccountPasswordPolicy", "*", "Allow"),
    asUserCase(
      noMfa,
      "no MFA: ListMFADevices on another user",
      "iam:ListMFADevices",
      operator2.arn,
      "ImplicitDeny",
    ),
    asUserCase(noMfa, "no MFA: ListAccessKeys", "iam:ListAccessKeys", own, "ExplicitDeny"),
    asUserCase(noMfa, "no MFA: DeactivateMFADevice", "iam:DeactivateMFADevice", own, "ExplicitDeny"),
    asUserCase(
      noMfa,
      "no MFA: AssumeRole (identity side)",
      "sts:AssumeRole",
      loaded.project1Role.arn,
      "ExplicitDeny",
    ),
    asUserCase(noMfa, "no MFA: StartSession", "ssm:StartSession", instanceArn(project1), "ExplicitDeny"),
    asUserCase(withMfa, "MFA: ListAccessKeys", "iam:ListAccessKeys", own, "Allow"),
    asUserCase(withMfa, "MFA: TagUser Project on self", "iam:TagUser", own, "ExplicitDeny", {
      "aws:TagKeys": ["Project"],
    }),
    asUserCase(withMfa, "MFA: TagUser ssmsessionrunas on self", "iam:TagUser", own, "ExplicitDeny", {
      "aws:TagKeys": ["ssmsessionrunas"],
    }),
    asUserCase(withMfa, "MFA: TagRole Project", "iam:TagRole", loaded.project1Role.arn, "ExplicitDeny", {
      "aws:TagKeys": ["Project"],
    }),
    asUserCase(withMfa, "MFA: TagUser Team on self", "iam:TagUser", own, "ImplicitDeny", {
      "aws:TagKeys": ["Team"],
    }),
    // The trust policies.
    {
      ...asUserCase(
        withMfa,
        "trust: operator1 with MFA → project-1 role",
        "sts:AssumeRole",
        loaded.project1Role.arn,
        "Allow",
      ),
      resourcePolicy: trust(loaded.project1Role),
      combine: "resource-gates",
    },
    {
      ...asUserCase(
        noMfa,
        "trust: operator1 without MFA → project-1 role",
        "sts:AssumeRole",
        loaded.project1Role.arn,
        "ExplicitDeny",
      ),
      resourcePolicy: trust(loaded.project1Role),
      combine: "resource-gates",
    },
    {
      ...asUserCase(
        withMfa,
        "trust: operator1 with MFA → project-2 role",
        "sts:AssumeRole",
        loaded.project2Role.arn,
        "ImplicitDeny",
      ),
      resourcePolicy: trust(loaded.project2Role),
      combine: "resource-gates",
    },
    // Sessions: the project's instances only, the given documents only.
    withRole(
      p1,
      "p1: StartSession on project-1 instance",
      "ssm:StartSession",
      instanceArn(project1),
      instanceTags(project1, "ssm:resourceTag"),
      "Allow",
    ),
    withRole(
      p1,
      "p1: StartSession on project-2 instance",
      "ssm:StartSession",
      instanceArn(project2),
      instanceTags(project2, "ssm:resourceTag"),
      "ImplicitDeny",
    ),
    withRole(
      p1,
      "p1: StartSession on untagged instance",
      "ssm:StartSession",
      instanceArn(untagged),
      instanceTags(untagged, "ssm:resourceTag"),
      "ImplicitDeny",
    ),
    withRole(
      p2,
      "p2: StartSession on project-2 instance",
      "ssm:StartSession",
      instanceArn(project2),
      instanceTags(project2, "ssm:resourceTag"),
      "Allow",
    ),
    withRole(
      p1,
      "p1: the shell document",
      "ssm:StartSession",
      documentArn("SSM-SessionManagerRunShell"),
      {},
      "Allow",
    ),
    withRole(
      p1,
      "p1: port forwarding (given)",
      "ssm:StartSession",
      documentArn("AWS-StartPortForwardingSession"),
      {},
      "Allow",
    ),
    withRole(
      p1,
      "p1: SSH (not given)",
      "ssm:StartSession",
      documentArn("AWS-StartSSHSession"),
      {},
      "ImplicitDeny",
    ),
    withRole(
      p1,
      "p1: remote-host forwarding (not given)",
      "ssm:StartSession",
      documentArn("AWS-StartPortForwardingSessionToRemoteHost"),
      {},
      "ImplicitDeny",
    ),
    withRole(
      p2,
      "p2: port forwarding (not given)",
      "ssm:StartSession",
      documentArn("AWS-StartPortForwardingSession"),
      {},
      "ImplicitDeny",
    ),
    withRole(
      p1,
      "p1: TerminateSession own",
      "ssm:TerminateSession",
      ownSession.resource,
      ownSession.context,
      "Allow",
    ),
    withRole(
      p1,
      "p1: ResumeSession own",
      "ssm:ResumeSession",
      ownSession.resource,
      ownSession.context,
      "Allow",
    ),
    withRole(
      p1,
      "p1: TerminateSession another user's",
      "ssm:TerminateSession",
      otherSession.resource,
      otherSession.context,
      "ImplicitDeny",
    ),
    // Instances of the project only.
    withRole(
      p1,
      "p1: StopInstances project-1",
      "ec2:StopInstances",
      instanceArn(project1),
      instanceTags(project1, "ec2:ResourceTag"),
      "Allow",
    ),
    withRole(
      p1,
      "p1: StartInstances project-1",
      "ec2:StartInstances",
      instanceArn(project1),
      instanceTags(project1, "ec2:ResourceTag"),
      "Allow",
    ),
    withRole(
      p1,
      "p1: StopInstances project-2",
      "ec2:StopInstances",
      instanceArn(project2),
      instanceTags(project2, "ec2:ResourceTag"),
      "ImplicitDeny",
    ),
    withRole(p1, "p1: DescribeInstances", "ec2:DescribeInstances", "*", {}, "Allow"),
    // The session key: roles generate data keys, only the instances' role decrypts.
    {
      ...withRole(p1, "p1: GenerateDataKey on the session key", "kms:GenerateDataKey", key.arn, {}, "Allow"),
      resourcePolicy: keyPolicy,
      combine: "resource-gates",
    },
    {
      ...withRole(p1, "p1: Decrypt with the session key", "kms:Decrypt", key.arn, {}, "ImplicitDeny"),
      resourcePolicy: keyPolicy,
      combine: "resource-gates",
    },
    {
      ...withRole(
        asRole(loaded.instanceRole, loaded.instances.project1.id),
        "instance role: Decrypt",
        "kms:Decrypt",
        key.arn,
        {},
        "Allow",
      ),
      resourcePolicy: keyPolicy,
      combine: "resource-gates",
    },
  ];
}

function inputOf(c: Case): EvaluationInput {
  return {
    request: {
      action: c.action,
      resource: c.resource,
      resourceAccount: A,
      principal: c.principal,
      context: c.context,
    },
    identityPolicies: c.identityPolicies,
    ...(c.resourcePolicy === undefined ? {} : { resourcePolicy: c.resourcePolicy }),
    ...(c.combine === undefined ? {} : { combine: c.combine }),
  };
}

const AWS_OWNED_DOCUMENT = /^arn:aws:ssm:[^:]+::document\/AWS-/;

const SIMULATE_RESULT: Record<string, Decision> = {
  Allowed: "Allow",
  ExplicitlyDenied: "ExplicitDeny",
  ImplicitlyDenied: "ImplicitDeny",
};

describe("the example stack's behaviour table", () => {
  after(() => loaded.dispose());

  for (const c of cases()) {
    it(`${c.name}: ${c.expected}, and iam-simulate agrees using every context key`, async () => {
      const ours = evaluatePolicies(inputOf(c));
      assert.equal(ours.decision, c.expected, `our engine: ${ours.reason}`);
      const simulated = await runSimulation(
        {
          request: {
            principal: c.principal.arn,
            action: c.action,
            resource: { resource: c.resource, accountId: A },
            contextVariables: c.context,
          },
          identityPolicies: c.identityPolicies.map((p) => ({ name: p.name, policy: p.document })),
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          ...(c.resourcePolicy === undefined ? {} : { resourcePolicy: c.resourcePolicy.document }),
        },
        { simulationMode: "Strict" },
      );
      if (simulated.resultType === "error") {
        // iam-data's document ARN pattern has an account, so the validating API refuses AWS-owned documents
        // (arn:aws:ssm:R::document/AWS-…); its core engine, which drops no context key, decides those.
        assert.ok(
          AWS_OWNED_DOCUMENT.test(c.resource),
          `iam-simulate refused the case: ${JSON.stringify(simulated.errors)}`,
        );
        assert.equal(referenceDecision(inputOf(c)), c.expected, "iam-simulate's core engine");
        return;
      }
      const results = simulated.resultType === "single" ? [simulated.result] : simulated.results;
      assert.ok(results.length > 0);
      for (const result of results)
        assert.deepEqual(result.ignoredContextKeys ?? [], [], "iam-simulate ignored context keys");
      assert.equal(SIMULATE_RESULT[simulated.overallResult], c.expected, "iam-simulate's decision");
    });
  }

  it("denies StartSession on the project-2 instance with AWS's message", () => {
    const c = cases().find((x) => x.name === "p1: StartSession on project-2 instance")!;
    const result = evaluatePolicies(inputOf(c));
    assert.equal(
      denialMessage({
        principalArn: c.principal.arn,
        action: c.action,
        resource: c.resource,
        reason: result.reason,
      }),
      `User: arn:aws:sts::${A}:assumed-role/${loaded.project1Role.name}/operator1 is not authorized to perform: ssm:StartSession on resource: arn:aws:ec2:${R}:${A}:instance/${loaded.instances.project2.id} because no identity-based policy allows the ssm:StartSession action`,
    );
  });
});
