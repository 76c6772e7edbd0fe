// What the TARGET steps share: the profile's final credentials as SDK clients, the resolved target, the
// principal whose policies decide (the role, or the IAM user), what the preferences say, and the key's ARN.
import type { ProfileAccess } from "../sessions/ssm/profile-access.js";
import type { Target } from "../sessions/ssm/targets.js";
import type { RoleFacts } from "./context.js";

export interface SessionPreferences {
  kmsKeyId: string;
  runAsEnabled: boolean;
  runAsDefaultUser: string;
  shellProfileLinux: string;
}

export interface TargetContext {
  access: ProfileAccess;
  target?: Target | undefined;
  account?: string | undefined;
  /** The role ARN (or IAM user ARN) SimulatePrincipalPolicy is asked about. */
  principalArn: string;
  /** The caller may simulate: false after an AccessDenied, so later steps do not ask again. */
  maySimulate: boolean;
  role?: RoleFacts | undefined;
  /** The call chain carried MFA (aws:MultiFactorAuthPresent). */
  mfa: boolean;
  preferences?: SessionPreferences | undefined;
  keyArn?: string | undefined;
  instanceRoleArn?: string | undefined;
}

/** arn:aws:ec2:R:A:instance/ID, or arn:aws:ssm:R:A:managed-instance/mi-… */
export function targetArn(tc: TargetContext): string {
  const t = tc.target!;
  const account = tc.account ?? "";
  return t.kind === "managed"
    ? `arn:aws:ssm:${tc.access.region}:${account}:managed-instance/${t.id}`
    : `arn:aws:ec2:${tc.access.region}:${account}:instance/${t.id}`;
}

/** A session document's ARN: AWS-owned ones have no account, the account's own (preferences) have one. */
export function documentArn(tc: TargetContext, name: string): string {
  const account = name.startsWith("AWS-") ? "" : (tc.account ?? "");
  return `arn:aws:ssm:${tc.access.region}:${account}:document/${name}`;
}
