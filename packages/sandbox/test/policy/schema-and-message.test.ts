// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} in these strings is IAM policy-variable syntax
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { denialMessage, policyDocumentSchema } from "../../src/policy/index.js";

function issues(doc: unknown): string[] {
  const result = policyDocumentSchema.safeParse(doc);
  if (result.success) return [];
  return result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("policyDocumentSchema", () => {
  it("accepts policies as IAM writes them, with single values or lists", () => {
    const doc = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "A", Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: "111111111111" } },
        {
          Effect: "Deny",
          NotAction: ["iam:*"],
          NotResource: "arn:aws:iam::*:user/${aws:username}",
          Condition: {
            BoolIfExists: { "aws:MultiFactorAuthPresent": false },
            "ForAnyValue:StringLike": { "aws:TagKeys": ["a*", "b"] },
            NumericLessThan: { "aws:MultiFactorAuthAge": 3600 },
            Null: { "aws:TokenIssueTime": "true" },
          },
        },
      ],
    };
    assert.deepEqual(issues(doc), []);
    assert.deepEqual(issues({ Statement: { Effect: "Allow", Action: "*", Resource: "*" } }), []);
    assert.deepEqual(
      issues({ Version: "2008-10-17", Statement: { Effect: "Allow", Action: "*", Principal: "*" } }),
      [],
    );
  });

  it("names the path of a bad Effect", () => {
    const found = issues({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "*" },
        { Effect: "allow", Action: "*" },
      ],
    });
    assert.deepEqual(found, ['Statement.1.Effect: Effect must be "Allow" or "Deny"']);
  });

  it("requires exactly one of Action or NotAction", () => {
    assert.deepEqual(issues({ Statement: [{ Effect: "Allow", Resource: "*" }] }), [
      'Statement.0: a statement needs exactly one of "Action" or "NotAction"',
    ]);
    assert.deepEqual(issues({ Statement: [{ Effect: "Allow", Action: "a:b", NotAction: "c:d" }] }), [
      'Statement.0.NotAction: a statement needs exactly one of "Action" or "NotAction"',
    ]);
  });

  it("refuses Resource with NotResource and Principal with NotPrincipal", () => {
    const found = issues({
      Statement: [
        { Effect: "Allow", Action: "*", Resource: "*", NotResource: "x", Principal: "*", NotPrincipal: "*" },
      ],
    });
    assert.deepEqual(found, [
      'Statement.0.NotResource: a statement takes "Resource" or "NotResource", not both',
      'Statement.0.NotPrincipal: a statement takes "Principal" or "NotPrincipal", not both',
    ]);
  });

  it("refuses unknown condition operators, naming them", () => {
    const found = issues({
      Statement: { Effect: "Allow", Action: "*", Condition: { StringEqual: { k: "v" } } },
    });
    assert.equal(found.length, 1);
    assert.match(
      found[0]!,
      /^Statement\.0\.Condition\.StringEqual: unknown condition operator "StringEqual"/,
    );
  });

  it("refuses unknown versions, unknown keys and empty statement lists", () => {
    assert.match(
      issues({ Version: "2012-10-18", Statement: { Effect: "Allow", Action: "*" } })[0]!,
      /^Version: Version must be/,
    );
    assert.match(issues({ Statement: { Effect: "Allow", Action: "*", Actions: "x" } })[0]!, /^Statement/);
    assert.match(issues({ Statement: [] })[0]!, /^Statement/);
    assert.match(issues({ Statement: { Effect: "Allow", Action: [] } })[0]!, /^Statement/);
  });
});

describe("denialMessage", () => {
  const base = {
    principalArn: "arn:aws:sts::222222222222:assumed-role/R/s",
    action: "ssm:StartSession",
    resource: "arn:aws:ec2:ap-northeast-1:222222222222:instance/i-0123",
  };

  it("writes the implicit-deny form with 'because'", () => {
    assert.equal(
      denialMessage({ ...base, reason: "no identity-based policy allows the ssm:StartSession action" }),
      "User: arn:aws:sts::222222222222:assumed-role/R/s is not authorized to perform: ssm:StartSession on resource: " +
        "arn:aws:ec2:ap-northeast-1:222222222222:instance/i-0123 because no identity-based policy allows the " +
        "ssm:StartSession action",
    );
  });

  it("writes the explicit-deny form with 'with', optionally naming the policy", () => {
    assert.equal(
      denialMessage({ ...base, reason: "an explicit deny in an identity-based policy" }),
      "User: arn:aws:sts::222222222222:assumed-role/R/s is not authorized to perform: ssm:StartSession on resource: " +
        "arn:aws:ec2:ap-northeast-1:222222222222:instance/i-0123 with an explicit deny in an identity-based policy",
    );
    assert.equal(
      denialMessage({
        principalArn: "arn:aws:iam::111111111111:user/alice",
        action: "sts:AssumeRole",
        resource: "arn:aws:iam::222222222222:role/Role-for-switch",
        reason: "an explicit deny in an identity-based policy",
        denyingPolicyArn: "arn:aws:iam::111111111111:policy/EnforceMFA",
      }),
      "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: " +
        "arn:aws:iam::222222222222:role/Role-for-switch with an explicit deny in an identity-based policy: " +
        "arn:aws:iam::111111111111:policy/EnforceMFA",
    );
  });

  it("ends at the resource when there is no reason", () => {
    assert.equal(
      denialMessage({ ...base, reason: "" }),
      "User: arn:aws:sts::222222222222:assumed-role/R/s is not authorized to perform: ssm:StartSession on resource: " +
        "arn:aws:ec2:ap-northeast-1:222222222222:instance/i-0123",
    );
  });
});
