// SessionAccessRole's synthesized trust and permissions: MFA with Bool, no session tags, ABAC with
// StringEquals on the role's own tags, exactly the given documents, own sessions only.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${aws:…} is IAM policy-variable syntax

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Duration } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import { ConstructPropsError, SessionAccessRole, type SessionAccessRoleProps } from "../src/index.js";
import {
  arnText,
  identityStatements,
  listOf,
  type PolicyStatementJson,
  statementBySid,
  testStack,
} from "./stack-fixture.js";

function synth(props: Partial<SessionAccessRoleProps> = {}) {
  const stack = testStack();
  const access = new SessionAccessRole(stack, "Access", {
    project: "Test Project 1",
    runAs: "os-user1",
    trustedUserNames: ["operator1"],
    ...props,
  });
  const template = Template.fromStack(stack);
  const roles = template.findResources("AWS::IAM::Role");
  const role = Object.values(roles)[0]!;
  return { stack, access, template, role, statements: identityStatements(template) };
}

function startSessionAllows(statements: PolicyStatementJson[]): PolicyStatementJson[] {
  return statements.filter((s) => s.Effect === "Allow" && listOf(s.Action).includes("ssm:StartSession"));
}

describe("SessionAccessRole trust", () => {
  it("lets the named users assume it only with MFA (Bool), and never tag the session", () => {
    const { role } = synth({
      trustedAccounts: ["222222222222"],
      trustedUserArns: ["arn:aws:iam::333333333333:user/x"],
    });
    const trust = listOf(role.Properties.AssumeRolePolicyDocument.Statement) as PolicyStatementJson[];
    assert.equal(trust.length, 3);
    for (const statement of trust) {
      assert.equal(statement.Effect, "Allow");
      assert.deepEqual(listOf(statement.Action), ["sts:AssumeRole"]);
      assert.deepEqual(statement.Condition, { Bool: { "aws:MultiFactorAuthPresent": "true" } });
    }
    const principals = trust.map((s) => arnText((s.Principal as { AWS: unknown }).AWS));
    assert.deepEqual(principals.sort(), [
      "arn:aws:iam::111111111111:user/operator1",
      "arn:aws:iam::222222222222:root",
      "arn:aws:iam::333333333333:user/x",
    ]);
    const text = JSON.stringify(role.Properties.AssumeRolePolicyDocument);
    assert.ok(!text.includes("sts:TagSession"));
    assert.ok(!text.includes("BoolIfExists"));
  });

  it("can also require a recent MFA sign-in", () => {
    const { role } = synth({ maxMfaAge: Duration.hours(1) });
    const statement = listOf(role.Properties.AssumeRolePolicyDocument.Statement)[0] as PolicyStatementJson;
    assert.deepEqual(statement.Condition, {
      Bool: { "aws:MultiFactorAuthPresent": "true" },
      NumericLessThan: { "aws:MultiFactorAuthAge": "3600" },
    });
  });

  it("carries the Project and SSMSessionRunAs tags", () => {
    const { role } = synth();
    assert.deepEqual(role.Properties.Tags, [
      { Key: "Project", Value: "Test Project 1" },
      { Key: "SSMSessionRunAs", Value: "os-user1" },
    ]);
  });
});

describe("SessionAccessRole permissions", () => {
  it("starts sessions only on same-project instances and nodes, with StringEquals on the literal ${aws:PrincipalTag/Project}", () => {
    const { statements } = synth();
    const instances = statementBySid(statements, "StartSessionOnProjectInstances");
    assert.equal(arnText(instances.Resource), "arn:aws:ec2:ap-northeast-1:111111111111:instance/*");
    assert.deepEqual(instances.Condition, {
      StringEquals: { "aws:ResourceTag/Project": "${aws:PrincipalTag/Project}" },
      BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" },
    });
    const nodes = statementBySid(statements, "StartSessionOnProjectManagedNodes");
    assert.equal(arnText(nodes.Resource), "arn:aws:ssm:ap-northeast-1:111111111111:managed-instance/*");
    assert.deepEqual(nodes.Condition?.StringEquals, {
      "ssm:resourceTag/Project": "${aws:PrincipalTag/Project}",
    });
    assert.ok(!JSON.stringify(statements).includes("StringLike"));
  });

  it("puts ssm:SessionDocumentAccessCheck on every StartSession allow", () => {
    const allows = startSessionAllows(synth({ documents: ["shell", "ssh"] }).statements);
    assert.equal(allows.length, 3);
    for (const statement of allows) {
      assert.deepEqual(statement.Condition?.BoolIfExists, { "ssm:SessionDocumentAccessCheck": "true" });
    }
  });

  it("allows the shell document of the account by default, and nothing like document/*", () => {
    const documents = statementBySid(synth().statements, "StartSessionWithGivenDocuments");
    assert.deepEqual(listOf(documents.Resource).map(arnText), [
      "arn:aws:ssm:ap-northeast-1:111111111111:document/SSM-SessionManagerRunShell",
    ]);
  });

  it("names opt-in AWS-owned documents with an empty account", () => {
    const documents = statementBySid(
      synth({ documents: ["shell", "port-forwarding", "ssh", { customerDocument: "Team-Shell" }] })
        .statements,
      "StartSessionWithGivenDocuments",
    );
    assert.deepEqual(listOf(documents.Resource).map(arnText), [
      "arn:aws:ssm:ap-northeast-1:111111111111:document/SSM-SessionManagerRunShell",
      "arn:aws:ssm:ap-northeast-1::document/AWS-StartPortForwardingSession",
      "arn:aws:ssm:ap-northeast-1::document/AWS-StartSSHSession",
      "arn:aws:ssm:ap-northeast-1:111111111111:document/Team-Shell",
    ]);
  });

  it("resumes and terminates only its own sessions through the session-id tag = ${aws:userid}", () => {
    const { statements } = synth();
    const own = statementBySid(statements, "ResumeAndTerminateOwnSessions");
    assert.deepEqual(listOf(own.Action).sort(), ["ssm:ResumeSession", "ssm:TerminateSession"]);
    assert.equal(arnText(own.Resource), "arn:aws:ssm:ap-northeast-1:111111111111:session/*");
    assert.deepEqual(own.Condition, {
      StringEquals: { "ssm:resourceTag/aws:ssmmessages:session-id": "${aws:userid}" },
    });
    assert.ok(
      !JSON.stringify(statements).includes("${aws:username}"),
      "aws:username is absent for role sessions",
    );
  });

  it("starts and stops only same-project instances and may describe targets", () => {
    const { statements } = synth();
    const startStop = statementBySid(statements, "StartStopProjectInstances");
    assert.deepEqual(listOf(startStop.Action).sort(), ["ec2:StartInstances", "ec2:StopInstances"]);
    assert.deepEqual(startStop.Condition, {
      StringEquals: { "aws:ResourceTag/Project": "${aws:PrincipalTag/Project}" },
    });
    const find = statementBySid(statements, "FindTargets");
    assert.equal(find.Resource, "*");
    assert.ok(listOf(find.Action).includes("ec2:DescribeInstances"));
    assert.ok(listOf(find.Action).includes("ssm:DescribeInstanceInformation"));
  });

  it("gets kms:GenerateDataKey on the session key in a separate policy resource", () => {
    const stack = testStack();
    const key = new kms.Key(stack, "Key");
    new SessionAccessRole(stack, "Access", {
      project: "p",
      runAs: "os-user1",
      trustedAccounts: ["111111111111"],
      sessionKey: key,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: [
          {
            Sid: "EncryptSessionData",
            Action: "kms:GenerateDataKey",
            Resource: { "Fn::GetAtt": [stack.getLogicalId(key.node.defaultChild as never), "Arn"] },
          },
        ],
      },
    });
  });

  it("waits for users created in the same app (their ARN by GetAtt)", () => {
    const stack = testStack();
    const user = new iam.User(stack, "Operator", { userName: "operator1" });
    new SessionAccessRole(stack, "Access", { project: "p", runAs: "os-user1", trustedUsers: [user] });
    const role = Object.values(Template.fromStack(stack).findResources("AWS::IAM::Role"))[0]!;
    const statement = listOf(role.Properties.AssumeRolePolicyDocument.Statement)[0] as PolicyStatementJson;
    assert.deepEqual(statement.Principal, {
      AWS: { "Fn::GetAtt": [stack.getLogicalId(user.node.defaultChild as never), "Arn"] },
    });
  });
});

describe("SessionAccessRole props", () => {
  const base = { project: "p", runAs: "os-user1", trustedAccounts: ["111111111111"] };
  for (const [what, props] of [
    ["root as Run As user", { ...base, runAs: "root" }],
    ["an OS user with a space", { ...base, runAs: "os user" }],
    ["a project that is no tag value", { ...base, project: "a*b" }],
    ["nobody trusted", { ...base, trustedAccounts: [] }],
    ["no documents", { ...base, documents: [] }],
  ] as const) {
    it(`refuses ${what}`, () => {
      assert.throws(() => new SessionAccessRole(testStack(), "Access", props), ConstructPropsError);
    });
  }
});
