// Differential test: our policy engine against @cloud-copilot/iam-simulate (AGPL, test-only) on generated cases.
//
// fast-check builds policies and requests from small pools chosen so that matches and near-misses are both
// common: actions and resources with wildcards, every condition operator family with IfExists and set
// prefixes, Null, policy variables (with defaults and escapes), absent and multivalued keys, allow/deny mixes,
// resource policies naming the caller directly or through its account, same- and cross-account requests.
// Both engines must reach the same decision (Allow / ExplicitDeny / ImplicitDeny). The few shapes on which
// they differ and AWS's documentation sides with us are listed in DOCUMENTED_DISAGREEMENTS, and only those
// exact shapes are left out of the comparison.
//
// Runs: TOBIRA_POLICY_DIFF_RUNS (default 5000); seed: TOBIRA_POLICY_DIFF_SEED (default fixed, "random" for a
// fresh one each run).
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} in these strings is IAM policy-variable syntax

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  type ConditionBlock,
  type Decision,
  type EvaluationInput,
  evaluatePolicies,
  type NamedPolicy,
  type PrincipalBlock,
  parseOperatorName,
  type RequestContextValues,
  type RequestPrincipal,
  type Statement,
} from "../../src/policy/index.js";
import { referenceDecision } from "./iam-simulate-reference.js";

const A = "111111111111";
const B = "222222222222";
const REGION = "ap-northeast-1";

const PRINCIPALS: Record<"user" | "session", RequestPrincipal> = {
  user: {
    arn: `arn:aws:iam::${A}:user/alice`,
    account: A,
    matchArns: [`arn:aws:iam::${A}:user/alice`, `arn:aws:iam::${A}:root`, A],
  },
  session: {
    arn: `arn:aws:sts::${A}:assumed-role/Ops/alice`,
    account: A,
    matchArns: [
      `arn:aws:sts::${A}:assumed-role/Ops/alice`,
      `arn:aws:iam::${A}:role/Ops`,
      `arn:aws:iam::${A}:root`,
      A,
    ],
  },
};

/** What a generated request targets; `mode` is the combination iam-simulate applies to that service. */
interface Target {
  action: string;
  resource: (account: string) => string;
  service: "default" | "sts" | "kms";
}

const TARGETS: Target[] = [
  {
    action: "ssm:StartSession",
    resource: (acct) => `arn:aws:ec2:${REGION}:${acct}:instance/i-0a1`,
    service: "default",
  },
  {
    action: "ssm:StartSession",
    resource: () => `arn:aws:ssm:${REGION}::document/AWS-StartSSHSession`,
    service: "default",
  },
  {
    action: "ssm:GetDocument",
    resource: (acct) => `arn:aws:ssm:${REGION}:${acct}:document/Doc-alice`,
    service: "default",
  },
  {
    action: "ssm:TerminateSession",
    resource: (acct) => `arn:aws:ssm:${REGION}:${acct}:session/alice-0f1`,
    service: "default",
  },
  {
    action: "ec2:DescribeInstances",
    resource: (acct) => `arn:aws:ec2:${REGION}:${acct}:instance/i-0b2`,
    service: "default",
  },
  {
    action: "sts:AssumeRole",
    resource: (acct) => `arn:aws:iam::${acct}:role/Role-for-switch`,
    service: "sts",
  },
  {
    action: "kms:GenerateDataKey",
    resource: (acct) => `arn:aws:kms:${REGION}:${acct}:key/k-1`,
    service: "kms",
  },
];

const ACTION_PATTERNS = [
  "ssm:StartSession",
  "SSM:startsession",
  "ssm:Start*",
  "ssm:*Session",
  "ssm:?etDocument",
  "ssm:*",
  "ec2:Describe*",
  "sts:AssumeRole",
  "sts:Assume?ole",
  "kms:GenerateDataKey*",
  "kms:*",
  "*",
];

const RESOURCE_PATTERNS = [
  "*",
  "arn:aws:ec2:*:*:instance/*",
  `arn:aws:ec2:${REGION}:${A}:instance/i-0?1`,
  `arn:aws:ec2:*:${B}:instance/*`,
  "arn:aws:ec2:*:*:instance/I-*",
  "arn:aws:ssm:*:*:document/*",
  "arn:aws:ssm:*::document/AWS-*",
  "arn:aws:ssm:*:*:document/Doc-${aws:username}",
  "arn:aws:ssm:*:*:document/Doc-${aws:PrincipalTag/Owner, 'alice'}",
  "arn:aws:ssm:*:*:session/${aws:username}-*",
  "arn:aws:ssm:*:*:session/${aws:userid}",
  `arn:aws:iam::${B}:role/*`,
  "arn:aws:iam::*:role/Role-for-${test:str}",
  "arn:aws:kms:*:*:key/*",
  `arn:aws:kms:${REGION}:${A}:key/k-?`,
];

const PRINCIPAL_BLOCKS: PrincipalBlock[] = [
  "*",
  { AWS: "*" },
  { AWS: A },
  { AWS: `arn:aws:iam::${A}:root` },
  { AWS: `arn:aws:iam::${B}:root` },
  { AWS: `arn:aws:iam::${A}:user/alice` },
  { AWS: `arn:aws:iam::${A}:user/bob` },
  { AWS: `arn:aws:iam::${A}:role/Ops` },
  { AWS: `arn:aws:sts::${A}:assumed-role/Ops/alice` },
  { AWS: [B, `arn:aws:iam::${A}:user/alice`] },
  { AWS: [`arn:aws:iam::${A}:user/bob`, A] },
];

type Family = "string" | "numeric" | "date" | "bool" | "binary" | "ip" | "arn";

interface KeySpec {
  name: string;
  family: Family;
  multi?: boolean;
}

const KEYS: KeySpec[] = [
  { name: "aws:username", family: "string" },
  { name: "aws:userid", family: "string" },
  { name: "aws:PrincipalTag/Owner", family: "string" },
  { name: "aws:ResourceTag/Owner", family: "string" },
  { name: "test:str", family: "string" },
  { name: "aws:MultiFactorAuthAge", family: "numeric" },
  { name: "test:num", family: "numeric" },
  { name: "aws:CurrentTime", family: "date" },
  { name: "aws:TokenIssueTime", family: "date" },
  { name: "aws:MultiFactorAuthPresent", family: "bool" },
  { name: "aws:SecureTransport", family: "bool" },
  { name: "test:bin", family: "binary" },
  { name: "aws:SourceIp", family: "ip" },
  { name: "aws:PrincipalArn", family: "arn" },
  { name: "aws:SourceArn", family: "arn" },
  { name: "aws:TagKeys", family: "string", multi: true },
  { name: "test:list", family: "string", multi: true },
];

const CONTEXT_VALUES: Record<Family, string[]> = {
  string: ["alice", "Alice", "AIDAEXAMPLE", "owner-a", "owner-b", "a*b", "Role-x"],
  numeric: ["0", "30", "900", "3600", "-5", "3.5", "abc"],
  date: [
    "2026-01-01T00:00:00Z",
    "2026-06-01T12:00:00Z",
    "2025-12-31T23:59:59Z",
    "1767225600",
    "1780000000",
    "soon",
  ],
  bool: ["true", "false", "TRUE", "yes"],
  binary: ["QUJD", "QUJE"],
  ip: ["10.1.2.3", "192.168.1.1", "8.8.8.8", "2001:db8::1", "2001:db9:0:0:0:0:0:1", "not-an-ip"],
  arn: [
    `arn:aws:iam::${A}:user/alice`,
    `arn:aws:sts::${A}:assumed-role/Ops/alice`,
    `arn:aws:iam::${B}:role/Role-for-switch`,
    "not-an-arn",
  ],
};

const POLICY_VALUES: Record<Family, string[]> = {
  string: [
    "alice",
    "ALICE",
    "owner-a",
    "owner-*",
    "a*",
    "?lice",
    "a${*}b",
    "${aws:username}",
    "${aws:PrincipalTag/Owner}",
    "${aws:ResourceTag/Owner}",
    "${test:missing, 'owner-b'}",
    "${aws:TagKeys}",
    "Role-${test:str}",
  ],
  numeric: ["0", "30", "3600", "-5", "3.5", "1000"],
  date: ["2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z", "1767225600", "1780000000"],
  bool: ["true", "false", "True", "${aws:SecureTransport}"],
  binary: ["QUJD", "QUJF"],
  ip: ["10.0.0.0/8", "10.1.2.3", "192.168.0.0/16", "0.0.0.0/0", "2001:db8::/32", "::/0"],
  arn: [
    `arn:aws:iam::${A}:user/alice`,
    "arn:aws:iam::*:user/*",
    `arn:aws:iam::${A}:*`,
    "arn:aws:sts::*:assumed-role/Ops/*",
    "arn:aws:iam::*:user/${aws:username}",
    "arn:aws:*:*:*:*",
    "arn:aws:iam::?22222222222:role/*",
  ],
};

const OPERATORS: Record<Family, string[]> = {
  string: [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
  ],
  numeric: [
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
  ],
  date: [
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
  ],
  bool: ["Bool"],
  binary: ["BinaryEquals"],
  ip: ["IpAddress", "NotIpAddress"],
  arn: ["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"],
};

const FAMILIES = Object.keys(OPERATORS) as Family[];

type Gen = fc.GeneratorValue;

function pick<T>(g: Gen, items: readonly T[]): T {
  return g(fc.constantFrom<T[]>, ...items);
}

function chance(g: Gen, percent: number): boolean {
  return g(fc.integer, { min: 0, max: 99 }) < percent;
}

function some<T>(g: Gen, items: readonly T[], min: number, max: number): T[] {
  return g(fc.subarray<T>, [...items], { minLength: min, maxLength: max });
}

function genCondition(g: Gen): ConditionBlock {
  const block: ConditionBlock = {};
  const count = pick(g, [0, 0, 1, 1, 2, 3]);
  for (let i = 0; i < count; i++) {
    const key = pick(g, KEYS);
    // Condition key names are case-insensitive: sometimes write them in another case.
    const keyName = chance(g, 20) ? key.name.toUpperCase() : key.name;
    let operator: string;
    let values: string[];
    if (chance(g, 10)) {
      operator = "Null";
      values = [pick(g, ["true", "false"])];
    } else {
      const family = chance(g, 80) ? key.family : pick(g, FAMILIES);
      operator = pick(g, OPERATORS[family]);
      if (chance(g, 25)) operator += "IfExists";
      if (chance(g, key.multi ? 80 : 15))
        operator = `${pick(g, ["ForAnyValue", "ForAllValues"])}:${operator}`;
      values = some(g, POLICY_VALUES[family], 1, 2);
    }
    block[operator] = {
      ...(block[operator] ?? {}),
      [keyName]: values.length === 1 && chance(g, 50) ? values[0]! : values,
    };
  }
  return block;
}

function genStatement(g: Gen, target: Target, forResourcePolicy: boolean): Statement {
  const statement: Statement = { Effect: chance(g, 25) ? "Deny" : "Allow" };
  if (chance(g, 20)) statement.NotAction = some(g, ACTION_PATTERNS, 1, 2);
  // Often name the request's own action (or its service) so that statements apply often enough.
  else if (chance(g, 35)) statement.Action = [pick(g, [target.action, `${target.action.split(":")[0]}:*`])];
  else statement.Action = some(g, ACTION_PATTERNS, 1, 2);
  // Trust policies carry no Resource element; other resource policies and all identity policies do.
  if (!forResourcePolicy || chance(g, 50)) {
    if (chance(g, 15)) statement.NotResource = some(g, RESOURCE_PATTERNS, 1, 2);
    else if (chance(g, 30)) statement.Resource = "*";
    else statement.Resource = some(g, RESOURCE_PATTERNS, 1, 2);
  }
  if (forResourcePolicy) {
    const block = pick(g, PRINCIPAL_BLOCKS);
    if (statement.Effect === "Deny" && chance(g, 25))
      statement.NotPrincipal = block === "*" ? { AWS: A } : block;
    else statement.Principal = block;
  }
  const condition = genCondition(g);
  if (Object.keys(condition).length > 0) statement.Condition = condition;
  if (chance(g, 30)) statement.Sid = `S${g(fc.integer, { min: 0, max: 9 })}`;
  return statement;
}

function genPolicy(g: Gen, target: Target, name: string, forResourcePolicy: boolean): NamedPolicy {
  const count = g(fc.integer, { min: 1, max: 3 });
  const statements = Array.from({ length: count }, () => genStatement(g, target, forResourcePolicy));
  return { name, document: { Version: "2012-10-17", Statement: statements } };
}

function genContext(g: Gen): RequestContextValues {
  const context: RequestContextValues = {};
  for (const key of KEYS) {
    if (!chance(g, 60)) continue;
    if (key.multi) context[key.name] = some(g, CONTEXT_VALUES.string, 0, 3);
    // Now and then a single-valued key arrives with a list, which only set operators may read.
    else if (chance(g, 5)) context[key.name] = some(g, CONTEXT_VALUES[key.family], 1, 2);
    else context[key.name] = pick(g, CONTEXT_VALUES[key.family]);
  }
  return context;
}

interface Case {
  input: EvaluationInput;
  service: Target["service"];
}

const caseArbitrary: fc.Arbitrary<Case> = fc.gen().map((g) => {
  const target = pick(g, TARGETS);
  const principal = PRINCIPALS[pick(g, ["user", "session"] as const)];
  const resourceAccount = pick(g, [A, A, B]);
  const identityPolicies = Array.from({ length: pick(g, [0, 1, 1, 2]) }, (_, i) =>
    genPolicy(g, target, `identity-${i}`, false),
  );
  const resourcePolicy = chance(g, 55) ? genPolicy(g, target, "resource", true) : undefined;
  // iam-simulate's per-service rules: role trust and KMS key policies gate same-account access; other
  // services let an identity allow suffice. STS without a trust policy falls back to identity policies.
  let combine: EvaluationInput["combine"] = "either";
  if (target.service === "kms" || (target.service === "sts" && resourcePolicy)) combine = "resource-gates";
  const input: EvaluationInput = {
    request: {
      action: target.action,
      resource: target.resource(resourceAccount),
      resourceAccount,
      principal,
      context: genContext(g),
    },
    identityPolicies,
    combine,
  };
  if (resourcePolicy) input.resourcePolicy = resourcePolicy;
  return { input, service: target.service };
});

// ---------------------------------------------------------------------------------------------------------
// Documented disagreements: shapes where iam-simulate and AWS's documentation part ways. Each predicate
// recognises exactly that shape in a generated case so that only those cases skip the comparison.

interface ConditionUse {
  operator: string;
  key: string;
  values: string[];
}

function statementsOf(c: Case): Statement[] {
  const policies = [...c.input.identityPolicies, ...(c.input.resourcePolicy ? [c.input.resourcePolicy] : [])];
  return policies.flatMap((policy) => ([] as Statement[]).concat(policy.document.Statement));
}

function conditionUses(c: Case): ConditionUse[] {
  const uses: ConditionUse[] = [];
  for (const statement of statementsOf(c)) {
    for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
      for (const [key, raw] of Object.entries(entries)) {
        uses.push({ operator, key, values: (Array.isArray(raw) ? raw : [raw]).map(String) });
      }
    }
  }
  return uses;
}

/** Whether a policy string holds `${key}` with no default whose key is absent or multivalued in the request. */
function hasUnresolvableVariable(c: Case, text: string): boolean {
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    const inner = match[1] ?? "";
    if (inner === "*" || inner === "?" || inner === "$" || inner.includes(",")) continue;
    if (typeof contextValue(c, inner.trim()) !== "string") return true;
  }
  return false;
}

function contextValue(c: Case, key: string): string | string[] | undefined {
  const entry = Object.entries(c.input.request.context).find(([k]) => k.toLowerCase() === key.toLowerCase());
  return entry?.[1];
}

const isEpoch = (v: string) => /^-?\d+$/.test(v);
const isIso = (v: string) => /^\d{4}-\d{2}-\d{2}/.test(v);
const isDecimal = (v: string) => /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v);
const isIpv4 = (v: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(v);
const isIpv6 = (v: string) => /^[0-9a-fA-F:]+$/.test(v) && v.includes(":");

export const DOCUMENTED_DISAGREEMENTS: { name: string; why: string; applies: (c: Case) => boolean }[] = [
  {
    name: "Date operator comparing epoch seconds with an ISO-8601 date",
    why:
      "AWS documents that date condition values may be written in ISO 8601 or as UNIX epoch seconds; both " +
      "name an instant, so 1767225600 equals 2026-01-01T00:00:00Z. iam-simulate compares the epoch number of " +
      "seconds with Date.parse's milliseconds, so mixed forms never compare as AWS does.",
    applies: (c) =>
      conditionUses(c).some((use) => {
        const parsed = parseOperatorName(use.operator);
        if (parsed?.kind !== "compare" || !parsed.operator.name.startsWith("Date")) return false;
        const requestValues = ([] as string[]).concat(contextValue(c, use.key) ?? []);
        const all = [...requestValues, ...use.values];
        return all.some(isEpoch) && all.some(isIso);
      }),
  },
  {
    name: "ForAnyValue:…IfExists on an absent key",
    why:
      "AWS documents the …IfExists suffix as 'if the key is not present in the request context, the " +
      "condition evaluates to true'. iam-simulate evaluates ForAnyValue before looking at IfExists and returns " +
      "false for an absent key.",
    applies: (c) =>
      conditionUses(c).some((use) => {
        const parsed = parseOperatorName(use.operator);
        return (
          parsed?.kind === "compare" &&
          parsed.set === "ForAnyValue" &&
          parsed.ifExists &&
          contextValue(c, use.key) === undefined
        );
      }),
  },
  {
    name: "NotIpAddress with a bare address and a request address of the other IP version",
    why:
      "AWS documents that an IP address written without a routing prefix takes the default prefix /32, so a " +
      "bare IPv4 address is a block of one and an IPv6 request address lies outside it: NotIpAddress holds. " +
      "iam-simulate compares a bare address as a string and answers false for a request of the other version, " +
      "while it answers true for the same request against a CIDR block.",
    applies: (c) =>
      conditionUses(c).some((use) => {
        const parsed = parseOperatorName(use.operator);
        if (parsed?.kind !== "compare" || parsed.operator.name !== "NotIpAddress") return false;
        const requestValues = ([] as string[]).concat(contextValue(c, use.key) ?? []);
        const bare = use.values.filter((v) => !v.includes("/"));
        return bare.some((policy) =>
          requestValues.some(
            (request) => isIpv4(policy) !== isIpv4(request) && (isIpv4(request) || isIpv6(request)),
          ),
        );
      }),
  },
  {
    name: "IPv4 block with prefix /0",
    why:
      "AWS documents IP values in standard CIDR notation, where 0.0.0.0/0 is every IPv4 address. iam-simulate " +
      "builds the mask as -1 << (32 - prefix); JavaScript shifts by 32 mod 32 = 0, so /0 matches only 0.0.0.0.",
    applies: (c) =>
      conditionUses(c).some((use) => {
        const parsed = parseOperatorName(use.operator);
        return (
          parsed?.kind === "compare" &&
          parsed.operator.name.endsWith("IpAddress") &&
          use.values.some((v) => /^[\d.]+\/0$/.test(v))
        );
      }),
  },
  {
    name: "Numeric operator on a request value that is not a number",
    why:
      "AWS documents the numeric operators as comparing integer or decimal values; a value such as 8.8.8.8 " +
      "is neither, so the comparison cannot hold (nor its negation). iam-simulate reads values with " +
      "parseFloat/parseInt, which take a leading number from any text (8.8.8.8 becomes 8.8).",
    applies: (c) =>
      conditionUses(c).some((use) => {
        const parsed = parseOperatorName(use.operator);
        if (parsed?.kind !== "compare" || !parsed.operator.name.startsWith("Numeric")) return false;
        const requestValues = ([] as string[]).concat(contextValue(c, use.key) ?? []);
        return requestValues.some(
          (v) => !isDecimal(v) && !Number.isNaN(v.includes(".") ? parseFloat(v) : parseInt(v, 10)),
        );
      }),
  },
  {
    name: "${*}, ${?} or ${$} in an operator without wildcards",
    why:
      "AWS documents ${*}, ${?} and ${$} as policy variables with fixed values: they stand for the characters " +
      "*, ? and $, in any element that takes policy variables. iam-simulate substitutes them only where " +
      "wildcards apply (StringLike, Resource) and leaves the six characters '${*}' as they are in StringEquals.",
    applies: (c) =>
      conditionUses(c).some((use) => {
        const parsed = parseOperatorName(use.operator);
        return (
          parsed?.kind === "compare" &&
          !/Like$/.test(parsed.operator.name) &&
          use.values.some((v) => /\$\{[*?$]\}/.test(v))
        );
      }),
  },
  {
    name: "NotResource entry with an unresolvable policy variable",
    why:
      "AWS documents that a variable it cannot resolve (absent key without a default, or a multivalued key) " +
      "can make the whole statement invalid; we treat such an entry as neither matching nor excluding, so the " +
      "statement does not apply (as for Resource and for negated conditions). iam-simulate still lets the " +
      "entry exclude the resource when the ARN's service, account or resource-type prefix differs.",
    applies: (c) =>
      statementsOf(c).some((statement) =>
        ([] as string[])
          .concat(statement.NotResource ?? [])
          .some((entry) => hasUnresolvableVariable(c, entry)),
      ),
  },
];

// ---------------------------------------------------------------------------------------------------------

function describeCase(c: Case, ours: Decision, theirs: Decision): string {
  return `ours=${ours} iam-simulate=${theirs}\n${JSON.stringify({ service: c.service, ...c.input })}`;
}

const numRuns = Number(process.env.TOBIRA_POLICY_DIFF_RUNS ?? 5000);
const seedSetting = process.env.TOBIRA_POLICY_DIFF_SEED ?? "20261122";
const seed = seedSetting === "random" ? Date.now() % 2 ** 31 : Number(seedSetting);

describe("differential: evaluatePolicies vs @cloud-copilot/iam-simulate", () => {
  it(`decides ${numRuns} generated cases alike (seed ${seed})`, (t) => {
    const skipped = new Map<string, number>();
    const decisions = new Map<Decision, number>();
    let compared = 0;
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const ours = evaluatePolicies(c.input).decision;
        const theirs = referenceDecision(c.input);
        if (ours === theirs) {
          compared++;
          decisions.set(ours, (decisions.get(ours) ?? 0) + 1);
          return true;
        }
        const documented = DOCUMENTED_DISAGREEMENTS.find((d) => d.applies(c));
        if (documented) {
          skipped.set(documented.name, (skipped.get(documented.name) ?? 0) + 1);
          return true;
        }
        assert.fail(describeCase(c, ours, theirs));
      }),
      { numRuns, seed, verbose: 1 },
    );
    t.diagnostic(`compared ${compared} cases: ${[...decisions].map(([d, n]) => `${d} ${n}`).join(", ")}`);
    for (const [name, n] of skipped) t.diagnostic(`documented disagreement "${name}": ${n} cases`);
    // The pools must give every decision a fair share, or the comparison proves little.
    for (const decision of ["Allow", "ExplicitDeny", "ImplicitDeny"] as const) {
      assert.ok(
        (decisions.get(decision) ?? 0) > numRuns / 20,
        `too few ${decision} cases: the generator drifted`,
      );
    }
    const skippedTotal = [...skipped.values()].reduce((a, b) => a + b, 0);
    assert.ok(
      skippedTotal < numRuns / 10,
      `${skippedTotal} cases skipped as documented disagreements: too many`,
    );
  });

  it("each documented disagreement is real: iam-simulate differs from us on a hand-written instance", () => {
    const base = (condition: ConditionBlock, context: RequestContextValues): Case => ({
      service: "default",
      input: {
        request: {
          action: "ssm:StartSession",
          resource: `arn:aws:ec2:${REGION}:${A}:instance/i-0a1`,
          resourceAccount: A,
          principal: PRINCIPALS.user,
          context,
        },
        identityPolicies: [
          {
            name: "p",
            document: {
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: "ssm:*", Resource: "*", Condition: condition }],
            },
          },
        ],
      },
    });
    const notResourceCase = base({}, {});
    const statements = notResourceCase.input.identityPolicies[0]!.document.Statement as Statement[];
    statements.push({ Effect: "Deny", Action: "*", NotResource: "arn:aws:ec2:*:*:volume/${aws:userid}" });
    const instances: [Case, Decision, Decision][] = [
      [
        base(
          { DateEquals: { "aws:CurrentTime": "1767225600" } },
          { "aws:CurrentTime": "2026-01-01T00:00:00Z" },
        ),
        "Allow",
        "ImplicitDeny",
      ],
      [base({ "ForAnyValue:StringEqualsIfExists": { "aws:TagKeys": "Owner" } }, {}), "Allow", "ImplicitDeny"],
      [
        base({ NotIpAddress: { "aws:SourceIp": "10.1.2.3" } }, { "aws:SourceIp": "2001:db8::1" }),
        "Allow",
        "ImplicitDeny",
      ],
      [
        base({ IpAddress: { "aws:SourceIp": "0.0.0.0/0" } }, { "aws:SourceIp": "8.8.8.8" }),
        "Allow",
        "ImplicitDeny",
      ],
      [
        base({ NumericGreaterThanEquals: { "aws:SourceIp": "0" } }, { "aws:SourceIp": "8.8.8.8" }),
        "ImplicitDeny",
        "Allow",
      ],
      [base({ StringEquals: { "test:str": "a${*}b" } }, { "test:str": "a*b" }), "Allow", "ImplicitDeny"],
      [notResourceCase, "Allow", "ExplicitDeny"],
    ];
    assert.equal(instances.length, DOCUMENTED_DISAGREEMENTS.length);
    DOCUMENTED_DISAGREEMENTS.forEach((disagreement, i) => {
      const [c, ours, theirs] = instances[i]!;
      assert.ok(disagreement.applies(c), disagreement.name);
      assert.equal(evaluatePolicies(c.input).decision, ours, disagreement.name);
      assert.equal(referenceDecision(c.input), theirs, disagreement.name);
    });
  });
});
