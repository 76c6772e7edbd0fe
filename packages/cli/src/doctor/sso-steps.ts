// The IAM Identity Center steps of an SSO profile, where a key profile has `vault`: `sso-token` — a cached
// login of the profile's sso-session, not expired, or expired with a refresh token that still works (the
// refresh is done, as any command would) — then `sts:0`, GetRoleCredentials for the account and permission
// set, whose credentials the later hops and the target steps use. A user without that assignment is told
// which accounts and permission sets they do have. Tokens are held in memory only, never reported.
import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  SSOClient,
} from "@aws-sdk/client-sso";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { SsoRoleStep } from "../credentials/plan.js";
import type { TemporaryCredentials } from "../credentials/ports.js";
import { TobiraError } from "../errors.js";
import { SsoLoginRequiredError, ssoAccessToken } from "../sso/access-token.js";
import { clientOptions, ssoEndpoints } from "../sso/sso-endpoints.js";
import { readSsoToken, ssoCachePath } from "../sso/token-cache.js";
import { answerLine } from "./aws-answer.js";
import type { DoctorContext, HopResult } from "./context.js";
import { type StepReport, step, unchecked } from "./report.js";
import { clientConfig, readRoleFacts } from "./role-facts.js";

const TOKEN_TITLE = "IAM Identity Center token";
/** As the credential chain: a token this close to expiry is refreshed before use. */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** A token that cannot be refreshed and ends this soon is worth a warning. */
const SOON_MS = 3600_000;

function firstSsoStep(ctx: DoctorContext): SsoRoleStep | undefined {
  const first = ctx.plan?.steps[0];
  return first?.kind === "sso-role" ? first : undefined;
}

function loginName(s: SsoRoleStep): string {
  return s.sessionName !== undefined ? `sso-session "${s.sessionName}"` : `start URL ${s.startUrl}`;
}

/** The command that signs in again; for the legacy form, through the profile itself. */
function fixCommand(s: SsoRoleStep): string {
  return s.sessionName !== undefined
    ? `tobira sso login --sso-session ${s.sessionName}`
    : `tobira sso login --profile ${s.profile}`;
}

function minutes(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  return m >= 120 ? `${Math.round(m / 60)} h` : `${m} min`;
}

export async function ssoTokenStep(ctx: DoctorContext): Promise<StepReport> {
  const s = firstSsoStep(ctx);
  if (!s) return unchecked("sso-token", TOKEN_TITLE, "the config step failed");
  const request = { ...s, endpointUrl: s.endpointUrl };
  const evidence = [`token cache ${ssoCachePath(s, ctx.env)} (${loginName(s)})`];
  const fail = (summary: string, fix: string) =>
    step("sso-token", TOKEN_TITLE, "failure", summary, evidence, fix);
  let cached: Awaited<ReturnType<typeof readSsoToken>>;
  try {
    cached = await readSsoToken(s, ctx.env);
  } catch (error) {
    if (!(error instanceof TobiraError)) throw error;
    return fail(error.message, error.hint ?? fixCommand(s));
  }
  if (!cached)
    return fail(`no login of ${loginName(s)} on this machine (never, or signed out)`, fixCommand(s));
  const now = Date.now();
  const left = Date.parse(cached.expiresAt) - now;
  const registrationLive =
    cached.registrationExpiresAt === undefined || Date.parse(cached.registrationExpiresAt) > now;
  const refreshable =
    cached.refreshToken !== undefined &&
    cached.clientId !== undefined &&
    cached.clientSecret !== undefined &&
    registrationLive;
  evidence.push(`start URL ${cached.startUrl}, region ${cached.region}`);
  evidence.push(`expires ${cached.expiresAt} (${left > 0 ? `in ${minutes(left)}` : `${minutes(left)} ago`})`);
  evidence.push(
    refreshable
      ? `refreshable: a refresh token, client registered until ${cached.registrationExpiresAt ?? "?"}`
      : cached.refreshToken === undefined
        ? "no refresh token (a session without sso_registration_scopes, or the legacy sso_start_url form, gets none)"
        : "not refreshable: the client registration has expired",
  );
  const expired = left <= REFRESH_MARGIN_MS;
  if (expired && !refreshable)
    return fail(
      `the login of ${loginName(s)} expired at ${cached.expiresAt} and cannot be refreshed`,
      fixCommand(s),
    );
  try {
    ctx.ssoAccessToken = await ssoAccessToken(request, ctx.env);
  } catch (error) {
    if (!(error instanceof TobiraError)) throw error;
    evidence.push(error.message);
    return fail(
      expired
        ? `the login of ${loginName(s)} expired at ${cached.expiresAt} and the refresh token was refused`
        : error.message,
      error instanceof SsoLoginRequiredError ? fixCommand(s) : (error.hint ?? fixCommand(s)),
    );
  }
  if (expired) {
    const renewed = await readSsoToken(s, ctx.env).catch(() => undefined);
    evidence.push(`CreateToken(refresh_token): a new token until ${renewed?.expiresAt ?? "?"}`);
    return step(
      "sso-token",
      TOKEN_TITLE,
      "ok",
      `expired at ${cached.expiresAt}, refreshed with the refresh token`,
      evidence,
    );
  }
  if (!refreshable && left < SOON_MS)
    return step(
      "sso-token",
      TOKEN_TITLE,
      "warning",
      `the login of ${loginName(s)} ends in ${minutes(left)} and cannot be refreshed`,
      evidence,
      `${fixCommand(s)} before ${cached.expiresAt}`,
    );
  return step(
    "sso-token",
    TOKEN_TITLE,
    "ok",
    `login of ${loginName(s)} valid until ${cached.expiresAt}${refreshable ? ", then refreshed" : ""}`,
    evidence,
  );
}

function portalOf(ctx: DoctorContext, s: SsoRoleStep): SSOClient {
  return new SSOClient(clientOptions(s.region, ssoEndpoints(ctx.env, s.endpointUrl).portal));
}

/** What the user may reach, as "account/permission set" lines (ListAccounts, ListAccountRoles). */
async function assignments(portal: SSOClient, accessToken: string): Promise<string[]> {
  const out: string[] = [];
  const accounts = (await portal.send(new ListAccountsCommand({ accessToken }))).accountList ?? [];
  for (const account of accounts) {
    const accountId = account.accountId ?? "";
    const roles = (await portal.send(new ListAccountRolesCommand({ accessToken, accountId }))).roleList ?? [];
    for (const role of roles) out.push(`${accountId}/${role.roleName ?? "?"}`);
  }
  return out;
}

function keyLine(ctx: DoctorContext, profile: string, key: string): string {
  const setting = ctx.files?.profiles.get(profile)?.config?.keys.get(key);
  return setting ? ` (${setting.origin.file} line ${setting.origin.line})` : "";
}

function forbiddenFix(ctx: DoctorContext, s: SsoRoleStep, reachable: string[]): string {
  const sameAccount = reachable.filter((r) => r.startsWith(`${s.accountId}/`)).map((r) => r.split("/")[1]);
  if (sameAccount.length > 0)
    return `set "sso_role_name = ${sameAccount[0]}" in [profile ${s.profile}]${keyLine(ctx, s.profile, "sso_role_name")}, a permission set you have in ${s.accountId}; or ask your Identity Center administrator to assign ${s.roleName} there`;
  if (reachable.length > 0)
    return `set sso_account_id and sso_role_name in [profile ${s.profile}] to one of ${reachable.join(", ")}; or ask your Identity Center administrator to assign ${s.roleName} in ${s.accountId} to you`;
  return `ask your Identity Center administrator to assign the permission set ${s.roleName} in account ${s.accountId} to you (you have none)`;
}

async function callerArn(ctx: DoctorContext, s: SsoRoleStep, credentials: TemporaryCredentials) {
  const region = ctx.plan?.region ?? s.region;
  const sts = new STSClient(clientConfig({ region, endpoint: ctx.plan?.endpointUrl }, credentials));
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? "";
  } finally {
    sts.destroy();
  }
}

/**
 * The provisioned role's ARN, by AWS's naming: `/aws-reserved/sso.amazonaws.com/` (plus the instance's region
 * outside us-east-1) and the name in the session's ARN.
 */
function provisionedRoleArn(assumedArn: string, s: SsoRoleStep): string {
  const name = /:assumed-role\/([^/]+)\//.exec(assumedArn)?.[1] ?? `AWSReservedSSO_${s.roleName}`;
  const path = s.region === "us-east-1" ? "" : `${s.region}/`;
  return `arn:aws:iam::${s.accountId}:role/aws-reserved/sso.amazonaws.com/${path}${name}`;
}

export async function ssoRoleStep(ctx: DoctorContext, s: SsoRoleStep, id: string): Promise<StepReport> {
  const title = `IAM Identity Center GetRoleCredentials (${s.profile})`;
  const accessToken = ctx.ssoAccessToken;
  if (accessToken === undefined)
    return unchecked(id, title, "no usable IAM Identity Center token (sso-token step)");
  const evidence = [
    `GetRoleCredentials: permission set ${s.roleName}${keyLine(ctx, s.profile, "sso_role_name")} in account ${s.accountId}${keyLine(ctx, s.profile, "sso_account_id")}`,
  ];
  const portal = portalOf(ctx, s);
  let credentials: TemporaryCredentials;
  try {
    const answer = await portal.send(
      new GetRoleCredentialsCommand({ accessToken, accountId: s.accountId, roleName: s.roleName }),
    );
    const c = answer.roleCredentials;
    if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken || c.expiration === undefined)
      return step(
        id,
        title,
        "failure",
        "the portal answered without credentials",
        evidence,
        "try again later",
      );
    credentials = {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      expiration: new Date(c.expiration).toISOString(),
    };
  } catch (error) {
    evidence.push(answerLine(error));
    const name = (error as { name?: string }).name;
    if (name === "UnauthorizedException")
      return step(
        id,
        title,
        "failure",
        `the portal no longer takes the token of ${loginName(s)} (signed out, revoked, or ended early)`,
        evidence,
        fixCommand(s),
      );
    if (name === "ForbiddenException" || name === "ResourceNotFoundException") {
      const reachable = await assignments(portal, accessToken).catch(() => [] as string[]);
      evidence.push(`your assignments: ${reachable.join(", ") || "none"}`);
      return step(
        id,
        title,
        "failure",
        `IAM Identity Center gives you no permission set ${s.roleName} in account ${s.accountId}`,
        evidence,
        forbiddenFix(ctx, s, reachable),
      );
    }
    return step(id, title, "failure", "GetRoleCredentials failed", evidence, "see the answer above");
  } finally {
    portal.destroy();
  }
  const lifetime = Math.round((Date.parse(credentials.expiration) - Date.now()) / 1000);
  evidence.push(`credentials for ${lifetime} s`);
  let arn: string;
  try {
    arn = await callerArn(ctx, s, credentials);
  } catch (error) {
    evidence.push(`GetCallerIdentity: ${answerLine(error)}`);
    return step(
      id,
      title,
      "failure",
      "STS does not accept the role credentials",
      evidence,
      "see the answer above",
    );
  }
  evidence.push(`GetCallerIdentity: ${arn}`);
  const roleArn = provisionedRoleArn(arn, s);
  const place = { region: ctx.plan?.region ?? s.region, endpoint: ctx.plan?.endpointUrl };
  const hop: HopResult = { roleArn, arn, credentials, mfa: false };
  hop.role = await readRoleFacts(place, credentials, roleArn).catch(() => undefined);
  if (!hop.role) evidence.push("role not read: the permission set may not call iam:GetRole on its role");
  ctx.hops.push(hop);
  // Roles chained from here are assumed by this session: their session name is the user's, as tobira's.
  ctx.sourceArn = arn;
  return step(id, title, "ok", `role credentials as ${arn}`, evidence);
}
