// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} in these strings is IAM policy-variable syntax
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RequestPrincipal } from "../../src/policy/index.js";
import {
  actionPatternMatches,
  ContextLookup,
  principalBlockMatch,
  resourcePatternMatches,
  statementMatchesAction,
  statementMatchesResource,
} from "../../src/policy/index.js";
import { holds } from "./condition-helpers.js";

const ctx = (values: Record<string, string | string[]>) => new ContextLookup(values);

describe("Action and NotAction", () => {
  it("match case-insensitively with * and ?", () => {
    assert.equal(actionPatternMatches("ssm:StartSession", "SSM:startsession"), true);
    assert.equal(actionPatternMatches("ssm:Start*", "ssm:StartSession"), true);
    assert.equal(actionPatternMatches("iam:*AccessKey?", "iam:ListAccessKeys"), true);
    assert.equal(actionPatternMatches("iam:*AccessKey?", "iam:CreateAccessKey"), false);
    assert.equal(actionPatternMatches("*", "sts:AssumeRole"), true);
    assert.equal(actionPatternMatches("s3:*", "sts:AssumeRole"), false);
  });

  it("NotAction covers every action it does not list", () => {
    const statement = { Effect: "Deny" as const, NotAction: ["iam:ListMFADevices", "sts:GetSessionToken"] };
    assert.equal(statementMatchesAction(statement, "sts:AssumeRole"), true);
    assert.equal(statementMatchesAction(statement, "STS:GetSessionToken"), false);
  });
});

describe("Resource matching", () => {
  const instance = "arn:aws:ec2:ap-northeast-1:222222222222:instance/i-0abc";
  it("matches wildcards per ARN part, case-sensitively", () => {
    assert.equal(resourcePatternMatches("*", instance, ctx({}), true), true);
    assert.equal(resourcePatternMatches("arn:aws:ec2:*:*:instance/*", instance, ctx({}), true), true);
    assert.equal(resourcePatternMatches("arn:aws:ec2:*:*:instance/I-*", instance, ctx({}), true), false);
    assert.equal(
      resourcePatternMatches("arn:aws:ec2:*:111111111111:instance/*", instance, ctx({}), true),
      false,
    );
    assert.equal(resourcePatternMatches("arn:aws:ec2:ap-northeast-?:*:*", instance, ctx({}), true), true);
  });

  it("a request for all resources ('*', actions without resource-level permissions) needs Resource '*'", () => {
    assert.equal(resourcePatternMatches("*", "*", ctx({}), true), true);
    assert.equal(resourcePatternMatches("arn:aws:ec2:*:*:instance/*", "*", ctx({}), true), false);
  });

  it("a wildcard in the resource part crosses slashes and colons", () => {
    const logStream = "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s";
    assert.equal(
      resourcePatternMatches("arn:aws:logs:us-east-1:1:log-group:*", logStream, ctx({}), true),
      true,
    );
  });

  it("an empty account (AWS-owned documents) is matched by *", () => {
    const doc = "arn:aws:ssm:ap-northeast-1::document/AWS-StartSSHSession";
    assert.equal(
      resourcePatternMatches("arn:aws:ssm:*:*:document/AWS-StartSSHSession", doc, ctx({}), true),
      true,
    );
    assert.equal(resourcePatternMatches("arn:aws:ssm:*::document/*", doc, ctx({}), true), true);
  });

  it("substitutes policy variables, literally", () => {
    const user = ctx({ "aws:username": "alice" });
    const mfa = "arn:aws:iam::111111111111:mfa/alice";
    assert.equal(resourcePatternMatches("arn:aws:iam::*:mfa/${aws:username}", mfa, user, true), true);
    assert.equal(
      resourcePatternMatches("arn:aws:iam::*:mfa/${aws:username}", "arn:aws:iam::1:mfa/bob", user, true),
      false,
    );
    // A value containing * is not a wildcard once substituted.
    const star = ctx({ "aws:username": "a*" });
    assert.equal(
      resourcePatternMatches("arn:aws:iam::*:mfa/${aws:username}", "arn:aws:iam::1:mfa/abc", star, true),
      false,
    );
  });

  it("an unresolved variable makes the entry neither match nor exclude", () => {
    assert.equal(
      resourcePatternMatches("arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::1:user/", ctx({}), true),
      undefined,
    );
    assert.equal(
      resourcePatternMatches("arn:aws:iam::*:user/*${aws:username}", "arn:aws:iam::1:user/x", ctx({}), true),
      undefined,
    );
    // A part before the variable that already rules the resource out decides.
    assert.equal(
      resourcePatternMatches("arn:aws:ec2:*:*:user/${aws:username}", "arn:aws:iam::1:user/x", ctx({}), true),
      false,
    );
    const allow = { Effect: "Allow" as const, Action: "*", Resource: "arn:aws:iam::*:user/${aws:username}" };
    const deny = { Effect: "Deny" as const, Action: "*", NotResource: "arn:aws:iam::*:user/${aws:username}" };
    assert.equal(statementMatchesResource(allow, "arn:aws:iam::1:user/x", ctx({}), true), false);
    assert.equal(statementMatchesResource(deny, "arn:aws:iam::1:user/x", ctx({}), true), false);
    assert.equal(
      statementMatchesResource(deny, "arn:aws:iam::1:user/x", ctx({ "aws:username": "y" }), true),
      true,
    );
  });

  it("uses the default of ${key, 'default'} when the key is absent", () => {
    const arn = "arn:aws:s3:::bucket/guest/x";
    assert.equal(
      resourcePatternMatches("arn:aws:s3:::bucket/${aws:username, 'guest'}/*", arn, ctx({}), true),
      true,
    );
    assert.equal(
      resourcePatternMatches(
        "arn:aws:s3:::bucket/${aws:username, 'guest'}/*",
        arn,
        ctx({ "aws:username": "bob" }),
        true,
      ),
      false,
    );
  });

  it("reads ${*}, ${?} and ${$} as the literal characters", () => {
    assert.equal(
      resourcePatternMatches("arn:aws:s3:::b/${*}${?}${$}", "arn:aws:s3:::b/*?$", ctx({}), true),
      true,
    );
    assert.equal(
      resourcePatternMatches("arn:aws:s3:::b/${*}", "arn:aws:s3:::b/anything", ctx({}), true),
      false,
    );
  });

  it("reads ${…} literally in policies without Version 2012-10-17", () => {
    const arn = "arn:aws:iam::1:mfa/${aws:username}";
    assert.equal(
      resourcePatternMatches("arn:aws:iam::1:mfa/${aws:username}", arn, ctx({ "aws:username": "x" }), false),
      true,
    );
  });
});

describe("policy variables in conditions", () => {
  it("resolve context keys, principal tags and userid", () => {
    const context = {
      "aws:PrincipalTag/Project": "project-a",
      "aws:ResourceTag/Project": "project-a",
      "aws:userid": "AROAEXAMPLE:alice",
      "ssm:resourceTag/aws:ssmmessages:session-id": "AROAEXAMPLE:alice",
    };
    assert.equal(
      holds("StringEquals", "aws:ResourceTag/Project", "${aws:PrincipalTag/Project}", context),
      true,
    );
    assert.equal(
      holds("StringLike", "ssm:resourceTag/aws:ssmmessages:session-id", "${aws:userid}", context),
      true,
    );
    assert.equal(
      holds("StringEquals", "aws:ResourceTag/Project", "${aws:principaltag/project}", context),
      true,
    );
  });

  it("an unresolved variable makes its value match neither the operator nor its negation", () => {
    const context = { "aws:ResourceTag/Project": "a" };
    assert.equal(
      holds("StringEquals", "aws:ResourceTag/Project", "${aws:PrincipalTag/Project}", context),
      false,
    );
    assert.equal(
      holds("StringNotEquals", "aws:ResourceTag/Project", "${aws:PrincipalTag/Project}", context),
      false,
    );
    assert.equal(
      holds("StringEquals", "aws:ResourceTag/Project", ["${aws:PrincipalTag/Project}", "a"], context),
      true,
    );
  });

  it("a multivalued key cannot be a variable", () => {
    assert.equal(holds("StringEquals", "k", "${aws:TagKeys}", { k: "a", "aws:TagKeys": ["a"] }), false);
    assert.equal(holds("StringEquals", "k", "${aws:TagKeys, 'a'}", { k: "a", "aws:TagKeys": ["a"] }), true);
  });

  it("wildcards in a StringLike value still work around a variable", () => {
    assert.equal(
      holds("StringLike", "k", "${aws:username}-*", { k: "alice-1", "aws:username": "alice" }),
      true,
    );
  });
});

describe("Principal matching", () => {
  const session: RequestPrincipal = {
    arn: "arn:aws:sts::111111111111:assumed-role/Ops/alice",
    account: "111111111111",
    matchArns: [
      "arn:aws:sts::111111111111:assumed-role/Ops/alice",
      "arn:aws:iam::111111111111:role/Ops",
      "arn:aws:iam::111111111111:root",
      "111111111111",
    ],
    services: [],
  };

  it("tells a direct grant from an account-level one", () => {
    assert.equal(principalBlockMatch("*", session), "direct");
    assert.equal(principalBlockMatch({ AWS: "*" }, session), "direct");
    assert.equal(principalBlockMatch({ AWS: "arn:aws:iam::111111111111:role/Ops" }, session), "direct");
    assert.equal(
      principalBlockMatch({ AWS: "arn:aws:sts::111111111111:assumed-role/Ops/alice" }, session),
      "direct",
    );
    assert.equal(principalBlockMatch({ AWS: "arn:aws:iam::111111111111:root" }, session), "account");
    assert.equal(principalBlockMatch({ AWS: "111111111111" }, session), "account");
    assert.equal(
      principalBlockMatch({ AWS: ["111111111111", "arn:aws:iam::111111111111:role/Ops"] }, session),
      "direct",
    );
  });

  it("does not match other accounts, other roles or services", () => {
    assert.equal(principalBlockMatch({ AWS: "arn:aws:iam::222222222222:root" }, session), "none");
    assert.equal(principalBlockMatch({ AWS: "arn:aws:iam::111111111111:role/Other" }, session), "none");
    assert.equal(principalBlockMatch({ Service: "ec2.amazonaws.com" }, session), "none");
    const ec2 = { arn: "ec2.amazonaws.com", account: "", matchArns: [], services: ["ec2.amazonaws.com"] };
    assert.equal(principalBlockMatch({ Service: ["ssm.amazonaws.com", "ec2.amazonaws.com"] }, ec2), "direct");
  });
});
