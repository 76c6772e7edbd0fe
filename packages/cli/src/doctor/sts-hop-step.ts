// Step 4, each STS hop of the plan: GetSessionToken / AssumeRole succeed with the code the MFA step got, the
// durations stay within AWS's caps (role chaining at most one hour, a role's own maximum), and a role whose
// trust asks for MFA gets it. A refused hop is named with AWS's answer and the one change that fixes it.

import type { AssumeRoleStep, CredentialStep } from "../credentials/plan.js";
import type { AwsCredentials, TemporaryCredentials } from "../credentials/ports.js";
import { assumeRole, getSessionToken } from "../credentials/sts-calls.js";
import { TobiraError } from "../errors.js";
import { isAccessDenied } from "./aws-answer.js";
import type { DoctorContext, HopResult, RoleFacts } from "./context.js";
import { type StepReport, step, unchecked } from "./report.js";
import { readRoleFacts } from "./role-facts.js";
import { ssoRoleStep } from "./sso-steps.js";

const ONE_HOUR = 3600;

function title(s: CredentialStep): string {
  return s.kind === "session-token" ? `STS GetSessionToken (${s.profile})` : `STS AssumeRole (${s.profile})`;
}

function settingLine(ctx: DoctorContext, profile: string, key: string): string {
  const setting = ctx.files?.profiles.get(profile)?.config?.keys.get(key);
  return setting ? `${setting.origin.file} line ${setting.origin.line}` : `[profile ${profile}]`;
}

function lifetime(credentials: TemporaryCredentials): number {
  return Math.round((Date.parse(credentials.expiration) - Date.now()) / 1000);
}

function sessionName(ctx: DoctorContext, s: AssumeRoleStep): string {
  // An IAM user's name, or (chained from an SSO role) the session's: what tobira's chain names the session.
  return (
    s.sessionName ??
    /:(?:user|assumed-role)\/(?:.*\/)?([^/]+)$/.exec(ctx.sourceArn ?? "")?.[1] ??
    "tobira-doctor"
  );
}

/** The fix for a refused AssumeRole: MFA the trust wants, else the statements on both sides. */
function assumeRoleFix(ctx: DoctorContext, s: AssumeRoleStep, caller: string, mfa: boolean): string {
  if (!mfa) {
    const account = /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(ctx.sourceArn ?? "")?.[1] ?? "ACCOUNT";
    const user = /:user\/(?:.*\/)?([^/]+)$/.exec(ctx.sourceArn ?? "")?.[1] ?? "USER";
    return `the role's trust asks for MFA: add the line "mfa_serial = arn:aws:iam::${account}:mfa/${user}" to [profile ${s.profile}]`;
  }
  const trust = {
    Effect: "Allow",
    Principal: { AWS: caller },
    Action: "sts:AssumeRole",
    Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
  };
  const identity = { Effect: "Allow", Action: "sts:AssumeRole", Resource: s.roleArn };
  return `add to the trust policy of ${s.roleArn}: ${JSON.stringify(trust)}\nand to ${caller}'s policy: ${JSON.stringify(identity)}`;
}

function durationFindings(
  ctx: DoctorContext,
  s: CredentialStep,
  index: number,
  facts: RoleFacts | undefined,
): string[] {
  if (s.kind !== "assume-role") return [];
  const out: string[] = [];
  const hop = ctx.resolved?.roles.find((h) => h.profile === s.profile);
  const asked = hop?.durationSeconds ?? ctx.flags.durationSeconds;
  if (index > 0 && asked !== undefined && asked > ONE_HOUR)
    out.push(
      `duration_seconds = ${asked} (${settingLine(ctx, s.profile, "duration_seconds")}) asks more than the one hour AWS allows a chained role; tobira asks ${s.durationSeconds}, the AWS CLI fails with ValidationError`,
    );
  if (facts && s.durationSeconds > facts.maxSessionDuration)
    out.push(
      `${s.durationSeconds} s asked, but the role's MaxSessionDuration is ${facts.maxSessionDuration} s`,
    );
  return out;
}

async function runStep(
  ctx: DoctorContext,
  s: CredentialStep,
  caller: AwsCredentials,
  code: string | undefined,
) {
  if (s.kind === "session-token") return getSessionToken(s, caller, code);
  if (s.kind === "sso-role") throw new Error("hopStep answers sso-role steps before running one");
  return assumeRole(s, caller, sessionName(ctx, s), code);
}

async function hopStep(ctx: DoctorContext, s: CredentialStep, index: number): Promise<StepReport> {
  const id = `sts:${index}`;
  if (s.kind === "sso-role") return ssoRoleStep(ctx, s, id);
  const caller = index === 0 ? ctx.longTerm : ctx.hops[index - 1]?.credentials;
  if (!caller)
    return unchecked(
      id,
      title(s),
      index === 0
        ? "it waits on the vault step: no working credentials to start from"
        : `it waits on sts:${index - 1}, which failed`,
    );
  const code = s.serial === undefined ? undefined : ctx.mfaCode;
  if (s.serial !== undefined && code === undefined) return unchecked(id, title(s), "no MFA code (MFA step)");
  if (code !== undefined) ctx.mfaCode = undefined;
  const carried = index > 0 && (ctx.hops[index - 1]?.mfa ?? false);
  const mfa = code !== undefined || carried;
  const evidence = [
    `${s.kind === "session-token" ? "GetSessionToken" : `AssumeRole ${s.roleArn}`}, ${s.durationSeconds} s, MFA ${code !== undefined ? `code for ${s.serial}` : carried ? "carried by the session" : "none"}`,
  ];
  const callerArn = index === 0 ? (ctx.sourceArn ?? "the user") : (ctx.hops[index - 1]?.arn ?? "the caller");
  let credentials: TemporaryCredentials;
  try {
    credentials = await runStep(ctx, s, caller, code);
  } catch (error) {
    if (!(error instanceof TobiraError)) throw error;
    evidence.push(error.message);
    const fix =
      s.kind === "assume-role" && isAccessDenied({ name: (error as { code?: string }).code })
        ? assumeRoleFix(ctx, s, callerArn, mfa)
        : /DurationSeconds/.test(error.message)
          ? `set "duration_seconds = ${ONE_HOUR}" (${settingLine(ctx, s.profile, "duration_seconds")})`
          : (error.hint ?? "see the message above");
    return step(
      id,
      title(s),
      "failure",
      `${s.kind === "session-token" ? "GetSessionToken" : "AssumeRole"} refused`,
      evidence,
      fix,
    );
  }
  const hop: HopResult = { arn: "", credentials, mfa };
  if (s.kind === "assume-role") {
    hop.roleArn = s.roleArn;
    hop.arn = `assumed-role ${s.roleArn} as ${sessionName(ctx, s)}`;
    const place = { region: s.region, endpoint: s.endpointUrl };
    hop.role = await readRoleFacts(place, credentials, s.roleArn).catch(() => undefined);
  } else hop.arn = ctx.sourceArn ?? "";
  ctx.hops.push(hop);
  evidence.push(`credentials for ${lifetime(credentials)} s`);
  if (hop.role) {
    evidence.push(
      `role MaxSessionDuration ${hop.role.maxSessionDuration} s; trust ${hop.role.trustAsksForMfa ? "asks for MFA" : "does not test MFA"}${hop.role.trustAsksForMfa ? (mfa ? " and the call had it" : " but the call had none") : ""}`,
    );
  } else if (s.kind === "assume-role")
    evidence.push("role not read: the role may not call iam:GetRole on itself");
  const findings = durationFindings(ctx, s, index, hop.role);
  if (findings.length > 0) {
    const fix = `set "duration_seconds = ${ONE_HOUR}" in [profile ${s.profile}] (${settingLine(ctx, s.profile, "duration_seconds")})`;
    return step(id, title(s), "warning", findings[0]!, evidence, fix);
  }
  return step(
    id,
    title(s),
    "ok",
    s.kind === "session-token" ? `session token${mfa ? " with MFA" : ""}` : `assumed ${s.roleArn}`,
    evidence,
  );
}

export async function stsHopSteps(ctx: DoctorContext): Promise<StepReport[]> {
  // Without a plan the number of calls is unknown: one entry stands for them, with the first call's id.
  if (!ctx.plan) return [unchecked("sts:0", "STS", "it waits on the config step, which failed")];
  const reports: StepReport[] = [];
  for (const [index, s] of ctx.plan.steps.entries()) reports.push(await hopStep(ctx, s, index));
  return reports;
}
