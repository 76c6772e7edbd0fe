// MfaEnforcedGroup's synthesized policy: what works without MFA, the deny's operator, ABAC tag protection.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${aws:username} is IAM policy-variable syntax

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Template } from "aws-cdk-lib/assertions";
import { MfaEnforcedGroup } from "../src/index.js";
import { arnText, identityStatements, listOf, statementBySid, testStack } from "./stack-fixture.js";

function synth(props: ConstructorParameters<typeof MfaEnforcedGroup>[2] = {}) {
  const stack = testStack();
  const group = new MfaEnforcedGroup(stack, "Operators", props);
  return { stack, group, template: Template.fromStack(stack) };
}

describe("MfaEnforcedGroup", () => {
  it("denies everything but MFA set-up and the first password change without MFA, with BoolIfExists … false", () => {
    const statements = identityStatements(synth().template);
    const deny = statementBySid(statements, "DenyEverythingElseWithoutMfa");
    assert.equal(deny.Effect, "Deny");
    assert.equal(deny.Action, undefined);
    assert.equal(deny.Resource, "*");
    assert.deepEqual(deny.Condition, { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } });
    const excepted = listOf(deny.NotAction);
    for (const action of [
      "iam:ChangePassword",
      "iam:GetAccountPasswordPolicy",
      "iam:CreateVirtualMFADevice",
      "iam:EnableMFADevice",
      "iam:GetUser",
      "iam:ListMFADevices",
      "iam:ListVirtualMFADevices",
      "iam:ResyncMFADevice",
      "sts:GetSessionToken",
    ]) {
      assert.ok(excepted.includes(action), `${action} must work before MFA`);
    }
    // Removing a device and handling keys need MFA by default.
    for (const action of ["iam:DeactivateMFADevice", "iam:CreateAccessKey", "iam:DeleteVirtualMFADevice"]) {
      assert.ok(!excepted.includes(action), `${action} must need MFA`);
    }
  });

  it("scopes self-service to the caller's own user with a literal ${aws:username}", () => {
    const statements = identityStatements(synth().template);
    for (const sid of ["ManageOwnPassword", "ManageOwnMfa", "ManageOwnAccessKeys"]) {
      assert.equal(
        arnText(statementBySid(statements, sid).Resource),
        "arn:aws:iam::111111111111:user/${aws:username}",
      );
    }
    assert.equal(
      arnText(statementBySid(statements, "CreateOwnVirtualMfaDevice").Resource),
      "arn:aws:iam::111111111111:mfa/*",
    );
    assert.deepEqual(listOf(statementBySid(statements, "ManageOwnPassword").Action).sort(), [
      "iam:ChangePassword",
      "iam:GetLoginProfile",
      "iam:GetUser",
    ]);
  });

  it("forbids setting Project and SSMSessionRunAs (any case) on users and roles, and never allows self-tagging", () => {
    const statements = identityStatements(synth({ protectedTagKeys: ["CostCenter"] }).template);
    const deny = statementBySid(statements, "DenyAbacTagChanges");
    assert.equal(deny.Effect, "Deny");
    assert.deepEqual(listOf(deny.Action).sort(), [
      "iam:TagRole",
      "iam:TagUser",
      "iam:UntagRole",
      "iam:UntagUser",
    ]);
    assert.deepEqual(deny.Condition, {
      "ForAnyValue:StringEqualsIgnoreCase": { "aws:TagKeys": ["Project", "SSMSessionRunAs", "CostCenter"] },
    });
    const allowsTagging = statements.some(
      (s) => s.Effect === "Allow" && listOf(s.Action).some((a) => /^iam:(Tag|Untag)(User|Role)$/.test(a)),
    );
    assert.equal(allowsTagging, false);
  });

  it("access keys: self-service by default, left out on request, or allowed before MFA on request", () => {
    const none = identityStatements(synth({ selfServiceAccessKeys: false }).template);
    assert.equal(
      none.some((s) => s.Sid === "ManageOwnAccessKeys"),
      false,
    );
    const early = identityStatements(synth({ accessKeysWithoutMfa: true }).template);
    const excepted = listOf(statementBySid(early, "DenyEverythingElseWithoutMfa").NotAction);
    assert.ok(excepted.includes("iam:CreateAccessKey") && excepted.includes("iam:ListAccessKeys"));
  });

  it("attaches the policy to the group and adds AssumeRole grants from the policy's side", () => {
    const stack = testStack();
    const group = new MfaEnforcedGroup(stack, "Operators", { groupName: "operators" });
    group.allowAssumeRoles("arn:aws:iam::111111111111:role/a", "arn:aws:iam::111111111111:role/b");
    const again = Template.fromStack(stack);
    again.hasResourceProperties("AWS::IAM::Group", {
      GroupName: "operators",
      ManagedPolicyArns: [{ Ref: stack.getLogicalId(group.policy.node.defaultChild as never) }],
    });
    const groupId = stack.getLogicalId(group.group.node.defaultChild as never);
    again.hasResourceProperties("AWS::IAM::ManagedPolicy", {
      Groups: [{ Ref: groupId }],
      PolicyDocument: {
        Statement: [
          {
            Sid: "AssumeSessionRoles",
            Action: "sts:AssumeRole",
            Effect: "Allow",
            Resource: ["arn:aws:iam::111111111111:role/a", "arn:aws:iam::111111111111:role/b"],
          },
        ],
      },
    });
  });
});
