// The policy engine's public shapes: policy documents as IAM writes them, the request to decide, the answer.

export type OneOrMany<T> = T | T[];

/** Condition block: operator → condition key → value(s), exactly as in a policy document. */
export type ConditionBlock = Record<string, Record<string, OneOrMany<string | number | boolean>>>;

export type PrincipalBlock =
  | "*"
  | {
      AWS?: OneOrMany<string> | undefined;
      Service?: OneOrMany<string> | undefined;
      Federated?: OneOrMany<string> | undefined;
      CanonicalUser?: OneOrMany<string> | undefined;
    };

export interface Statement {
  Sid?: string | undefined;
  Effect: "Allow" | "Deny";
  Action?: OneOrMany<string> | undefined;
  NotAction?: OneOrMany<string> | undefined;
  Resource?: OneOrMany<string> | undefined;
  NotResource?: OneOrMany<string> | undefined;
  Principal?: PrincipalBlock | undefined;
  NotPrincipal?: PrincipalBlock | undefined;
  Condition?: ConditionBlock | undefined;
}

export interface PolicyDocument {
  Version?: string | undefined;
  Id?: string | undefined;
  Statement: OneOrMany<Statement>;
}

/** A policy together with the name a denial or audit line uses for it (a policy ARN, `user/alice/inline`, …). */
export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
}

/**
 * Condition-key values as AWS's request context holds them. Keys are matched case-insensitively
 * (the engine lowercases them); values keep their case. Booleans, numbers and dates are strings,
 * as AWS carries them ("true", "3600", "2026-11-22T06:54:59Z"). Multivalued keys are arrays.
 */
export type RequestContextValues = Record<string, string | string[]>;

/** Who is asking: the facts a Principal element and the context keys are matched against. */
export interface RequestPrincipal {
  /** The ARN AWS shows: arn:aws:iam::A:user/N, arn:aws:sts::A:assumed-role/R/S, arn:aws:sts::A:federated-user/N, arn:aws:iam::A:root. */
  arn: string;
  account: string;
  /**
   * ARNs a `Principal: {AWS: …}` may name to match this caller: the user ARN; for an assumed-role
   * session the role ARN and the session ARN; always also the account root `arn:aws:iam::A:root` and the
   * bare account id. Service principals go into `services`.
   */
  matchArns: string[];
  services?: string[];
}

export interface AuthorizationRequest {
  /** service:Action, e.g. "sts:AssumeRole". Matched case-insensitively. */
  action: string;
  /** Resource ARN (or "*" for actions without resource-level permissions). */
  resource: string;
  /** Account that owns the resource; for "*" the caller's account. */
  resourceAccount: string;
  principal: RequestPrincipal;
  context: RequestContextValues;
}

export type Decision = "Allow" | "ExplicitDeny" | "ImplicitDeny";

/** Which statement decided, for audit lines and denial messages. */
export interface DecidingStatement {
  policy: string;
  /** Sid when the statement has one, otherwise its index as "Statement[i]". */
  statement: string;
  kind: "identity" | "resource" | "session" | "boundary";
}

export interface EvaluationResult {
  decision: Decision;
  /** The statement that decided (the deny for ExplicitDeny, an allow for Allow); absent for ImplicitDeny. */
  decidedBy?: DecidingStatement | undefined;
  /**
   * For Allow: every statement the grant needed — e.g. a trust-policy statement naming the account and the
   * identity-based allow it delegated to, plus the session policy's allow. `decidedBy` is the first of them.
   */
  allowedBy?: DecidingStatement[];
  /**
   * AWS's reason clause for denials, to finish "User: X is not authorized to perform: A on resource: R because …":
   * "no identity-based policy allows the A action", "an explicit deny in an identity-based policy",
   * "no resource-based policy allows the A action", "an explicit deny in a resource-based policy", ….
   * Empty for Allow.
   */
  reason: string;
}

export interface EvaluationInput {
  request: AuthorizationRequest;
  /** Identity policies of the caller (user inline/managed/group policies, or the role's for a session). */
  identityPolicies: NamedPolicy[];
  /** The resource's policy: a role's trust policy for sts:AssumeRole, a key policy for KMS. */
  resourcePolicy?: NamedPolicy | undefined;
  /** Session policies passed to AssumeRole/GetFederationToken, intersected with identity policies. */
  sessionPolicies?: NamedPolicy[] | undefined;
  /**
   * How a resource policy combines with identity policies when the resource is in the caller's account.
   * - "either" (default): an allow in either suffices (when the resource policy names the principal
   *   directly; an allow that only names the account root still needs an identity allow).
   * - "both": the resource policy and identity policies must both allow.
   * - "resource-gates": role trust policies (sts:AssumeRole) and KMS key policies — the resource policy must
   *   allow, either naming the principal directly (which suffices alone) or delegating to IAM (a statement
   *   allowing the account root / account id), in which case identity policies must allow too.
   * When `request.resourceAccount` differs from the principal's account, "both" applies whatever this says.
   */
  combine?: "either" | "both" | "resource-gates" | undefined;
}
