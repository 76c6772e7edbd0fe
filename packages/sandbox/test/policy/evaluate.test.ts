// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} in these strings is IAM policy-variable syntax
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type {
  AuthorizationRequest,
  EvaluationInput,
  NamedPolicy,
  PolicyDocument,
  RequestPrincipal,
} from "../../src/policy/index.js";
import { evaluatePolicies } from "../../src/policy/index.js";

const A = "111111111111";
const B = "222222222222";

function user(name: string, account = A): RequestPrincipal {
  const arn = `arn:aws:iam::${account}:user/${name}`;
  return { arn, account, matchArns: [arn, `arn:aws:iam::${account}:root`, account] };
}

function session(role: string, name: string, account = A): RequestPrincipal {
  const arn = `arn:aws:sts::${account}:assumed-role/${role}/${name}`;
  return {
    arn,
    account,
    matchArns: [arn, `arn:aws:iam::${account}:role/${role}`, `arn:aws:iam::${account}:root`, account],
  };
}

function request(
  principal: RequestPrincipal,
  action: string,
  resource: string,
  resourceAccount: string,
  context: Record<string, string | string[]> = {},
): AuthorizationRequest {
  return { principal, action, resource, resourceAccount, context };
}

function policy(name: string, document: PolicyDocument): NamedPolicy {
  return { name, document };
}

/** The operators group policy of the articles: manage own MFA without MFA, deny everything else without it. */
const operatorsGroup = policy("group/operators/EnforceMFA", {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AllowViewAccountInfo",
      Effect: "Allow",
      Action: ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"],
      Resource: "*",
    },
    {
      Sid: "AllowManageOwnPasswordAndUser",
      Effect: "Allow",
      Action: ["iam:ChangePassword", "iam:GetUser"],
      Resource: "arn:aws:iam::*:user/${aws:username}",
    },
    {
      Sid: "AllowManageOwnVirtualMFADevice",
      Effect: "Allow",
      Action: ["iam:CreateVirtualMFADevice"],
      Resource: "arn:aws:iam::*:mfa/${aws:username}",
    },
    {
      Sid: "AllowManageOwnUserMFA",
      Effect: "Allow",
      Action: ["iam:DeactivateMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"],
      Resource: "arn:aws:iam::*:user/${aws:username}",
    },
    {
      Sid: "DenyAllExceptListedIfNoMFA",
      Effect: "Deny",
      NotAction: [
        "iam:CreateVirtualMFADevice",
        "iam:EnableMFADevice",
        "iam:GetUser",
        "iam:ChangePassword",
        "iam:ListMFADevices",
        "iam:ListVirtualMFADevices",
        "iam:ResyncMFADevice",
        "sts:GetSessionToken",
      ],
      Resource: "*",
      Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
    },
    {
      Sid: "AllowAssumeRoleInTarget",
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: `arn:aws:iam::${B}:role/*`,
    },
  ],
});

const switchTrust = policy(`arn:aws:iam::${B}:role/Role-for-switch/trust`, {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: "sts:AssumeRole",
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    },
  ],
});

const alice = user("alice");
const roleArn = `arn:aws:iam::${B}:role/Role-for-switch`;
const mfa = { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "30", "aws:username": "alice" };
const longTerm = { "aws:username": "alice" };

describe("the MFA-enforcing group policy", () => {
  it("with long-term keys (no MFA key) allows managing one's own MFA device", () => {
    const r = evaluatePolicies({
      request: request(alice, "iam:ListMFADevices", `arn:aws:iam::${A}:user/alice`, A, longTerm),
      identityPolicies: [operatorsGroup],
    });
    assert.equal(r.decision, "Allow");
    assert.deepEqual(r.decidedBy, {
      policy: "group/operators/EnforceMFA",
      statement: "AllowManageOwnUserMFA",
      kind: "identity",
    });
  });

  it("with long-term keys denies everything else explicitly", () => {
    for (const [action, resource] of [
      ["sts:AssumeRole", roleArn],
      ["iam:CreateAccessKey", `arn:aws:iam::${A}:user/alice`],
      ["ssm:StartSession", `arn:aws:ec2:ap-northeast-1:${B}:instance/i-1`],
    ] as const) {
      const r = evaluatePolicies({
        request: request(alice, action, resource, action === "iam:CreateAccessKey" ? A : B, longTerm),
        identityPolicies: [operatorsGroup],
        resourcePolicy: action === "sts:AssumeRole" ? switchTrust : undefined,
      });
      assert.equal(r.decision, "ExplicitDeny", action);
      assert.equal(r.decidedBy?.statement, "DenyAllExceptListedIfNoMFA");
      assert.equal(r.reason, "an explicit deny in an identity-based policy");
    }
  });

  it("with MFA present allows the cross-account AssumeRole the trust policy permits", () => {
    const r = evaluatePolicies({
      request: request(alice, "sts:AssumeRole", roleArn, B, mfa),
      identityPolicies: [operatorsGroup],
      resourcePolicy: switchTrust,
      combine: "resource-gates",
    });
    assert.equal(r.decision, "Allow");
    assert.deepEqual(
      r.allowedBy?.map((s) => `${s.kind}:${s.statement}`),
      ["resource:Statement[0]", "identity:AllowAssumeRoleInTarget"],
    );
  });

  it("with MFA present still limits MFA management to one's own user", () => {
    const r = evaluatePolicies({
      request: request(alice, "iam:ListMFADevices", `arn:aws:iam::${A}:user/bob`, A, mfa),
      identityPolicies: [operatorsGroup],
    });
    assert.equal(r.decision, "ImplicitDeny");
    assert.equal(r.decidedBy, undefined);
    assert.equal(r.reason, "no identity-based policy allows the iam:ListMFADevices action");
  });

  it("MFA present = false (GetSessionToken without MFA) is denied like absence", () => {
    const r = evaluatePolicies({
      request: request(alice, "sts:AssumeRole", roleArn, B, {
        ...mfa,
        "aws:MultiFactorAuthPresent": "false",
      }),
      identityPolicies: [operatorsGroup],
      resourcePolicy: switchTrust,
    });
    assert.equal(r.decision, "ExplicitDeny");
  });
});

describe("trust and resource policies", () => {
  const allowAssume = policy("user/alice/AllowAssume", {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }],
  });

  it("cross-account: a trust policy allow without an identity allow is denied by the identity side", () => {
    const r = evaluatePolicies({
      request: request(alice, "sts:AssumeRole", roleArn, B, mfa),
      identityPolicies: [],
      resourcePolicy: switchTrust,
    });
    assert.deepEqual(
      [r.decision, r.reason],
      ["ImplicitDeny", "no identity-based policy allows the sts:AssumeRole action"],
    );
  });

  it("cross-account: an identity allow without a trust allow is denied by the resource side", () => {
    const r = evaluatePolicies({
      request: request(alice, "sts:AssumeRole", roleArn, B, { "aws:MultiFactorAuthPresent": "false" }),
      identityPolicies: [allowAssume],
      resourcePolicy: switchTrust,
    });
    assert.deepEqual(
      [r.decision, r.reason],
      ["ImplicitDeny", "no resource-based policy allows the sts:AssumeRole action"],
    );
  });

  it("cross-account without any resource policy is denied, whatever the mode", () => {
    const r = evaluatePolicies({
      request: request(alice, "kms:Decrypt", `arn:aws:kms:us-east-1:${B}:key/k`, B),
      identityPolicies: [
        policy("p", { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "*", Resource: "*" } }),
      ],
      combine: "either",
    });
    assert.equal(r.reason, "no resource-based policy allows the kms:Decrypt action");
  });

  const sameAccountRole = `arn:aws:iam::${A}:role/Local`;
  const trustNamingAlice = policy("role/Local/trust", {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: alice.arn }, Action: "sts:AssumeRole" }],
  });
  const trustNamingAccount = policy("role/Local/trust", {
    Version: "2012-10-17",
    Statement: [{ Sid: "Delegate", Effect: "Allow", Principal: { AWS: A }, Action: "sts:AssumeRole" }],
  });

  it("same account, resource-gates: a trust policy naming the user suffices alone", () => {
    const r = evaluatePolicies({
      request: request(alice, "sts:AssumeRole", sameAccountRole, A),
      identityPolicies: [],
      resourcePolicy: trustNamingAlice,
      combine: "resource-gates",
    });
    assert.equal(r.decision, "Allow");
    assert.equal(r.decidedBy?.kind, "resource");
  });

  it("same account, resource-gates: a trust policy naming only the account needs an identity allow", () => {
    const input: EvaluationInput = {
      request: request(alice, "sts:AssumeRole", sameAccountRole, A),
      identityPolicies: [],
      resourcePolicy: trustNamingAccount,
      combine: "resource-gates",
    };
    assert.equal(evaluatePolicies(input).reason, "no identity-based policy allows the sts:AssumeRole action");
    assert.equal(evaluatePolicies({ ...input, identityPolicies: [allowAssume] }).decision, "Allow");
  });

  it("same account, resource-gates: an identity allow is not enough when the trust policy does not name the caller", () => {
    const r = evaluatePolicies({
      request: request(user("bob"), "sts:AssumeRole", sameAccountRole, A),
      identityPolicies: [allowAssume],
      resourcePolicy: trustNamingAlice,
      combine: "resource-gates",
    });
    assert.deepEqual(
      [r.decision, r.reason],
      ["ImplicitDeny", "no resource-based policy allows the sts:AssumeRole action"],
    );
  });

  it("same account, either: an identity allow suffices and an account-only resource grant adds nothing", () => {
    const bucketPolicy = policy("bucket", {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${A}:root` },
          Action: "s3:GetObject",
          Resource: "*",
        },
      ],
    });
    const base: EvaluationInput = {
      request: request(alice, "s3:GetObject", "arn:aws:s3:::b/k", A),
      identityPolicies: [],
      resourcePolicy: bucketPolicy,
    };
    assert.equal(evaluatePolicies(base).decision, "ImplicitDeny");
    const allowGet = policy("p", {
      Version: "2012-10-17",
      Statement: { Effect: "Allow", Action: "s3:Get*", Resource: "*" },
    });
    assert.equal(evaluatePolicies({ ...base, identityPolicies: [allowGet] }).decision, "Allow");
    assert.equal(
      evaluatePolicies({ ...base, identityPolicies: [allowGet], resourcePolicy: undefined }).decision,
      "Allow",
    );
    const direct = policy("bucket", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: alice.arn }, Action: "s3:GetObject", Resource: "*" }],
    });
    assert.equal(evaluatePolicies({ ...base, resourcePolicy: direct }).decision, "Allow");
  });

  it("same account, both: each side must allow", () => {
    const base: EvaluationInput = {
      request: request(alice, "sts:AssumeRole", sameAccountRole, A),
      identityPolicies: [],
      resourcePolicy: trustNamingAlice,
      combine: "both",
    };
    assert.equal(evaluatePolicies(base).decision, "ImplicitDeny");
    assert.equal(evaluatePolicies({ ...base, identityPolicies: [allowAssume] }).decision, "Allow");
  });

  it("an explicit deny in the resource policy wins over allows everywhere", () => {
    const r = evaluatePolicies({
      request: request(alice, "sts:AssumeRole", sameAccountRole, A),
      identityPolicies: [allowAssume],
      resourcePolicy: policy("role/Local/trust", {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" },
          { Sid: "NoAlice", Effect: "Deny", Principal: { AWS: alice.arn }, Action: "sts:*" },
        ],
      }),
      combine: "resource-gates",
    });
    assert.deepEqual(
      [r.decision, r.reason, r.decidedBy?.statement],
      ["ExplicitDeny", "an explicit deny in a resource-based policy", "NoAlice"],
    );
  });

  it("a resource policy's deny that names another principal does not apply", () => {
    const r = evaluatePolicies({
      request: request(alice, "sts:AssumeRole", sameAccountRole, A),
      identityPolicies: [allowAssume],
      resourcePolicy: policy("trust", {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: A }, Action: "sts:AssumeRole" },
          { Effect: "Deny", Principal: { AWS: `arn:aws:iam::${A}:user/bob` }, Action: "sts:AssumeRole" },
        ],
      }),
      combine: "resource-gates",
    });
    assert.equal(r.decision, "Allow");
  });

  it("NotPrincipal in a deny spares only the principals it lists", () => {
    const doc = (listed: string[]): NamedPolicy =>
      policy("key", {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" },
          {
            Sid: "OnlyAdmins",
            Effect: "Deny",
            NotPrincipal: { AWS: listed },
            Action: "kms:*",
            Resource: "*",
          },
        ],
      });
    const req = request(alice, "kms:Decrypt", `arn:aws:kms:us-east-1:${A}:key/k`, A);
    assert.equal(
      evaluatePolicies({ request: req, identityPolicies: [], resourcePolicy: doc([alice.arn]) }).decision,
      "Allow",
    );
    const denied = evaluatePolicies({
      request: req,
      identityPolicies: [],
      resourcePolicy: doc(["arn:aws:iam::1:user/x"]),
    });
    assert.equal(denied.decision, "ExplicitDeny");
    assert.equal(denied.decidedBy?.statement, "OnlyAdmins");
  });

  it("a service principal is granted by a trust policy naming the service", () => {
    const ec2: RequestPrincipal = {
      arn: "ec2.amazonaws.com",
      account: B,
      matchArns: [],
      services: ["ec2.amazonaws.com"],
    };
    const r = evaluatePolicies({
      request: request(ec2, "sts:AssumeRole", `arn:aws:iam::${B}:role/SSMInstanceRole`, B),
      identityPolicies: [],
      resourcePolicy: policy("trust", {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
      combine: "resource-gates",
    });
    assert.equal(r.decision, "Allow");
  });
});

describe("session policies", () => {
  const caller = session("Ops", "alice");
  const identity = policy("role/Ops/all", {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "ssm:*", Resource: "*" }],
  });
  const resource = `arn:aws:ssm:us-east-1:${A}:document/D`;

  it("intersect with identity policies", () => {
    const narrow = policy("session", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "ssm:GetDocument", Resource: "*" }],
    });
    const base: EvaluationInput = {
      request: request(caller, "ssm:GetDocument", resource, A),
      identityPolicies: [identity],
      sessionPolicies: [narrow],
    };
    assert.equal(evaluatePolicies(base).decision, "Allow");
    const other = evaluatePolicies({ ...base, request: request(caller, "ssm:StartSession", resource, A) });
    assert.deepEqual(
      [other.decision, other.reason],
      ["ImplicitDeny", "no session policy allows the ssm:StartSession action"],
    );
  });

  it("an explicit deny in a session policy is reported as such", () => {
    const r = evaluatePolicies({
      request: request(caller, "ssm:GetDocument", resource, A),
      identityPolicies: [identity],
      sessionPolicies: [
        policy("session", {
          Version: "2012-10-17",
          Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }],
        }),
      ],
    });
    assert.deepEqual([r.decision, r.reason], ["ExplicitDeny", "an explicit deny in a session policy"]);
  });

  it("do not limit a same-account resource policy that names the session ARN, but do limit one naming the role", () => {
    const namingSession = policy("res", {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: caller.arn }, Action: "ssm:GetDocument", Resource: "*" },
      ],
    });
    const namingRole = policy("res", {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${A}:role/Ops` },
          Action: "ssm:GetDocument",
          Resource: "*",
        },
      ],
    });
    const empty = policy("session", {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "none:None", Resource: "*" }],
    });
    const base: EvaluationInput = {
      request: request(caller, "ssm:GetDocument", resource, A),
      identityPolicies: [],
      sessionPolicies: [empty],
    };
    assert.equal(evaluatePolicies({ ...base, resourcePolicy: namingSession }).decision, "Allow");
    assert.equal(evaluatePolicies({ ...base, resourcePolicy: namingRole }).decision, "ImplicitDeny");
  });
});

describe("statement naming and policy versions", () => {
  it("names a statement without Sid by its index", () => {
    const r = evaluatePolicies({
      request: request(alice, "ssm:StartSession", "arn:aws:ec2:r:111111111111:instance/i-1", A),
      identityPolicies: [
        policy("p1", {
          Version: "2012-10-17",
          Statement: { Effect: "Allow", Action: "ec2:*", Resource: "*" },
        }),
        policy("p2", {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: "ec2:*", Resource: "*" },
            { Effect: "Deny", Action: "ssm:*", Resource: "*" },
          ],
        }),
      ],
    });
    assert.deepEqual(r.decidedBy, { policy: "p2", statement: "Statement[1]", kind: "identity" });
  });

  it("leaves ${…} unresolved in a 2008-10-17 policy", () => {
    const doc = (Version: string): NamedPolicy =>
      policy("p", {
        Version,
        Statement: {
          Effect: "Allow",
          Action: "iam:GetUser",
          Resource: "arn:aws:iam::*:user/${aws:username}",
        },
      });
    const req = request(alice, "iam:GetUser", `arn:aws:iam::${A}:user/alice`, A, { "aws:username": "alice" });
    assert.equal(evaluatePolicies({ request: req, identityPolicies: [doc("2012-10-17")] }).decision, "Allow");
    assert.equal(
      evaluatePolicies({ request: req, identityPolicies: [doc("2008-10-17")] }).decision,
      "ImplicitDeny",
    );
  });

  it("ABAC: a tag-matching condition allows project-a's instances only", () => {
    const role = session("project-a-operator", "alice", B);
    const abac = policy("role/project-a-operator/ssm", {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "ssm:StartSession",
          Resource: "arn:aws:ec2:*:*:instance/*",
          Condition: { StringEquals: { "aws:ResourceTag/Project": "${aws:PrincipalTag/Project}" } },
        },
      ],
    });
    const ctx = (tag: string) => ({
      "aws:PrincipalTag/Project": "project-a",
      "aws:ResourceTag/Project": tag,
    });
    const inst = `arn:aws:ec2:ap-northeast-1:${B}:instance/i-1`;
    assert.equal(
      evaluatePolicies({
        request: request(role, "ssm:StartSession", inst, B, ctx("project-a")),
        identityPolicies: [abac],
      }).decision,
      "Allow",
    );
    assert.equal(
      evaluatePolicies({
        request: request(role, "ssm:StartSession", inst, B, ctx("project-b")),
        identityPolicies: [abac],
      }).decision,
      "ImplicitDeny",
    );
  });
});
