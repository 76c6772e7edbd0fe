// SessionKey's key policy (roles generate data keys, node roles decrypt, the account keeps control) and
// OperatorUsers (group membership, e-mail tag, no console password).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Template } from "aws-cdk-lib/assertions";
import * as iam from "aws-cdk-lib/aws-iam";
import { ConstructPropsError, MfaEnforcedGroup, OperatorUsers, SessionKey } from "../src/index.js";
import { arnText, listOf, type PolicyStatementJson, testStack } from "./stack-fixture.js";

describe("SessionKey", () => {
  it("gives session roles GenerateDataKey and node roles Decrypt in the key policy", () => {
    const stack = testStack();
    const sessionRole = new iam.Role(stack, "Session", { assumedBy: new iam.AccountRootPrincipal() });
    const nodeRole = new iam.Role(stack, "Node", {
      assumedBy: new iam.ServicePrincipal("ec2.amazonaws.com"),
    });
    new SessionKey(stack, "Key", { sessionRoles: [sessionRole], nodeRoles: [nodeRole] });
    const template = Template.fromStack(stack);
    const key = Object.values(template.findResources("AWS::KMS::Key"))[0]!;
    const statements = listOf(key.Properties.KeyPolicy.Statement) as PolicyStatementJson[];
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid)!;
    const roleArn = (role: iam.Role) => ({
      "Fn::GetAtt": [stack.getLogicalId(role.node.defaultChild as never), "Arn"],
    });
    assert.deepEqual(bySid("SessionRolesGenerateDataKeys").Principal, { AWS: roleArn(sessionRole) });
    assert.equal(bySid("SessionRolesGenerateDataKeys").Action, "kms:GenerateDataKey");
    assert.deepEqual(bySid("NodeRolesDecrypt").Principal, { AWS: roleArn(nodeRole) });
    assert.equal(bySid("NodeRolesDecrypt").Action, "kms:Decrypt");
    const root = statements.find((s) => s.Action === "kms:*")!;
    assert.equal(arnText((root.Principal as { AWS: unknown }).AWS), "arn:aws:iam::111111111111:root");
    template.hasResourceProperties("AWS::KMS::Alias", { AliasName: "alias/session-manager" });
    template.hasResource("AWS::KMS::Key", { DeletionPolicy: "Retain" });
  });
});

describe("OperatorUsers", () => {
  it("creates the users in the group, tags e-mail addresses, and sets no console password", () => {
    const stack = testStack();
    const group = new MfaEnforcedGroup(stack, "Operators");
    const operators = new OperatorUsers(stack, "Users", {
      group,
      users: [{ userName: "operator1", email: "operator1@example.com" }, { userName: "operator2" }],
    });
    const template = Template.fromStack(stack);
    const groupRef = { Ref: stack.getLogicalId(group.group.node.defaultChild as never) };
    template.hasResourceProperties("AWS::IAM::User", {
      UserName: "operator1",
      Groups: [groupRef],
      Tags: [{ Key: "Email", Value: "operator1@example.com" }],
    });
    const users = Object.values(template.findResources("AWS::IAM::User"));
    assert.equal(users.length, 2);
    for (const user of users) assert.equal(user.Properties.LoginProfile, undefined);
    assert.deepEqual([...operators.users.keys()], ["operator1", "operator2"]);
    assert.throws(() => operators.user("nobody"), ConstructPropsError);
  });

  for (const [what, user] of [
    ["a user name with a space", { userName: "op one" }],
    ["an address IAM cannot tag", { userName: "op", email: "a b@example.com" }],
  ] as const) {
    it(`refuses ${what}`, () => {
      const stack = testStack();
      const group = new iam.Group(stack, "G");
      assert.throws(() => new OperatorUsers(stack, "Users", { group, users: [user] }), ConstructPropsError);
    });
  }

  it("refuses the same user twice, whatever the case", () => {
    const stack = testStack();
    const group = new iam.Group(stack, "G");
    assert.throws(
      () => new OperatorUsers(stack, "Users", { group, users: [{ userName: "Op" }, { userName: "op" }] }),
      ConstructPropsError,
    );
  });
});
