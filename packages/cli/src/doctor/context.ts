// What the steps of one doctor run share: the flags, what the earlier steps found (config, plan, the key, the
// credentials of each hop), and the clock skew seen in the endpoint's Date headers. Secrets live here only in
// memory and are never put into a report.
import type { ConfigFiles, ResolvedProfile } from "../config/index.js";
import type { CredentialPlan } from "../credentials/plan.js";
import type { AwsCredentials } from "../credentials/ports.js";

export interface DoctorFlags {
  mfaCode?: string | undefined;
  mfaPrompt?: string | undefined;
  region?: string | undefined;
  durationSeconds?: number | undefined;
  /** --max-key-age in days (else the source profile's tobira_max_key_age). */
  maxKeyAgeDays?: number | undefined;
}

/** What GetRole told about a role the chain assumed (absent when the role may not read itself). */
export interface RoleFacts {
  tags: Record<string, string>;
  maxSessionDuration: number;
  /** The trust policy tests aws:MultiFactorAuthPresent. */
  trustAsksForMfa: boolean;
}

export interface HopResult {
  roleArn?: string | undefined;
  arn: string;
  credentials: AwsCredentials;
  /** The call carried a code, or its caller's credentials carried MFA. */
  mfa: boolean;
  role?: RoleFacts | undefined;
}

export interface DoctorContext {
  profile: string;
  env: NodeJS.ProcessEnv;
  flags: DoctorFlags;
  files?: ConfigFiles | undefined;
  resolved?: ResolvedProfile | undefined;
  plan?: CredentialPlan | undefined;
  /** The chain's first credentials: the source's long-term key (vault, or a credentials file), or those a
   * given source handed over (credential_process, environment, …). Never printed. */
  longTerm?: AwsCredentials | undefined;
  /** The source's IAM identity, from GetCallerIdentity with its key. */
  sourceArn?: string | undefined;
  /** The IAM Identity Center access token the sso-token step found (or refreshed). Never printed. */
  ssoAccessToken?: string | undefined;
  /** The code the MFA step got from the code source, for the first STS call that needs one. */
  mfaCode?: string | undefined;
  /** Server time minus local time, from the last Date header seen. */
  skewMs?: number | undefined;
  /** One per STS step that succeeded, in order. */
  hops: HopResult[];
}

/** The credentials the profile ends with: the last hop's, when every hop succeeded. */
export function finalHop(ctx: DoctorContext): HopResult | undefined {
  if (!ctx.plan || ctx.hops.length !== ctx.plan.steps.length) return undefined;
  // A given source without roles: its credentials are the profile's, as the credential commands hand them out.
  if (ctx.plan.steps.length === 0 && ctx.plan.source.kind === "given" && ctx.longTerm && ctx.sourceArn)
    return { arn: ctx.sourceArn, credentials: ctx.longTerm, mfa: false };
  return ctx.hops.at(-1);
}

/** The region AWS calls go to: --region, else the plan's, else us-east-1 as the SDK's STS default. */
export function doctorRegion(ctx: DoctorContext): string {
  return ctx.flags.region ?? ctx.plan?.region ?? ctx.env.AWS_REGION ?? "us-east-1";
}
