// Who made a request, as the services and the request context need to know it.

import type { PolicyDocument } from "../policy/types.js";

export type PrincipalType = "User" | "AssumedRole" | "FederatedUser";

/** How the caller signed: a long-term user key, or temporary credentials from one of the STS actions. */
export type CredentialKind = "long-term" | "session-token" | "assumed-role" | "federation-token";

export interface Caller {
  type: PrincipalType;
  credential: CredentialKind;
  /** The ARN GetCallerIdentity shows: user ARN, sts assumed-role ARN, or federated-user ARN. */
  arn: string;
  /** aws:PrincipalArn: the user ARN, the role ARN (not the session ARN), or the federated-user ARN. */
  principalArn: string;
  account: string;
  /** aws:userid: AIDA… for users, AROA…:session for roles, ACCOUNT:name for federated users. */
  userId: string;
  /** The IAM user behind the call (long-term, GetSessionToken and GetFederationToken credentials). */
  userName?: string;
  roleArn?: string;
  roleName?: string;
  sessionName?: string;
  federatedName?: string;
  accessKeyId: string;
  /** aws:PrincipalTag/*: user tags, or role tags overridden by session tags. */
  tags: Record<string, string>;
  /** Session tag keys that carry into role chains. */
  transitiveTagKeys: string[];
  /** When MFA was verified for these credentials; absent when it was not. */
  mfaAuthenticatedAtMs?: number | undefined;
  /** For temporary credentials: when they were issued (aws:TokenIssueTime). */
  tokenIssuedAtMs?: number;
  sourceIdentity?: string | undefined;
  /** The session policy passed when the credentials were issued. */
  sessionPolicy?: PolicyDocument | undefined;
  /** An assumed-role session obtained with another assumed-role session. */
  roleChain: boolean;
}

export function isTemporary(caller: Caller): boolean {
  return caller.credential !== "long-term";
}
