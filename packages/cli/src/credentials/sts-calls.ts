// The three STS calls the credential path makes, through the AWS SDK v3. Loaded only on a cache miss
// (import("./sts-calls.js")), so a cache hit never pays for loading the SDK.
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
  type Credentials as StsCredentials,
} from "@aws-sdk/client-sts";
import { StsCallError } from "./errors.js";
import type { AssumeRoleStep, SessionTokenStep } from "./plan.js";
import type { AwsCredentials, TemporaryCredentials } from "./ports.js";

export interface CallerIdentity {
  arn: string;
  account: string;
  userId: string;
}

function client(
  region: string,
  endpointUrl: string | undefined,
  credentials: AwsCredentials,
  withCode: boolean,
) {
  return new STSClient({
    region,
    ...(endpointUrl === undefined ? {} : { endpoint: endpointUrl }),
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
    },
    // A retried call carrying a code would fail as "code already used" even when the first one succeeded.
    maxAttempts: withCode ? 1 : 3,
  });
}

export async function getSessionToken(
  step: SessionTokenStep,
  longTerm: AwsCredentials,
  code: string | undefined,
): Promise<TemporaryCredentials> {
  const sts = client(step.region, step.endpointUrl, longTerm, code !== undefined);
  try {
    const out = await sts.send(
      new GetSessionTokenCommand({
        DurationSeconds: step.durationSeconds,
        ...(step.serial !== undefined && code !== undefined
          ? { SerialNumber: step.serial, TokenCode: code }
          : {}),
      }),
    );
    return temporary(out.Credentials, "GetSessionToken");
  } catch (error) {
    throw explain(error, `GetSessionToken for profile '${step.profile}'`, step.endpointUrl);
  } finally {
    sts.destroy();
  }
}

export async function assumeRole(
  step: AssumeRoleStep,
  caller: AwsCredentials,
  sessionName: string,
  code: string | undefined,
): Promise<TemporaryCredentials> {
  const sts = client(step.region, step.endpointUrl, caller, code !== undefined);
  const tags = Object.entries(step.sessionTags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  try {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: step.roleArn,
        RoleSessionName: sessionName,
        DurationSeconds: step.durationSeconds,
        ...(step.externalId === undefined ? {} : { ExternalId: step.externalId }),
        ...(step.serial !== undefined && code !== undefined
          ? { SerialNumber: step.serial, TokenCode: code }
          : {}),
        ...(tags.length === 0 ? {} : { Tags: tags }),
        ...(step.transitiveSessionTags === undefined
          ? {}
          : { TransitiveTagKeys: step.transitiveSessionTags }),
        ...(step.sourceIdentity === undefined ? {} : { SourceIdentity: step.sourceIdentity }),
      }),
    );
    return temporary(out.Credentials, "AssumeRole");
  } catch (error) {
    throw explain(error, `AssumeRole of ${step.roleArn} for profile '${step.profile}'`, step.endpointUrl);
  } finally {
    sts.destroy();
  }
}

export async function getCallerIdentity(
  credentials: AwsCredentials,
  region: string,
  endpointUrl: string | undefined,
  profile: string,
): Promise<CallerIdentity> {
  const sts = client(region, endpointUrl, credentials, false);
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    if (!out.Arn || !out.Account || !out.UserId)
      throw new Error("GetCallerIdentity answered without an identity");
    return { arn: out.Arn, account: out.Account, userId: out.UserId };
  } catch (error) {
    throw explain(error, `GetCallerIdentity with the keys of profile '${profile}'`, endpointUrl);
  } finally {
    sts.destroy();
  }
}

/** STS's credentials as ours; an answer missing any part is an STS that does not behave like AWS. */
export function temporary(c: StsCredentials | undefined, call: string): TemporaryCredentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new StsCallError(`${call} answered without complete credentials`, {
      hint: "the STS endpoint is not behaving like AWS; check endpoint_url",
    });
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration.toISOString(),
  };
}

/** Turns an SDK error into one line naming the call and AWS's reason, with a hint fitting the code. */
function explain(error: unknown, what: string, endpointUrl: string | undefined): StsCallError {
  if (error instanceof StsCallError) return error;
  const e = error as { name?: string; code?: string; message?: string };
  const code = e.code && /^E[A-Z]+$/.test(e.code) ? e.code : (e.name ?? e.code);
  const reason = e.message ?? String(error);
  const hints: Record<string, string> = {
    ECONNREFUSED: `nothing answers at ${endpointUrl ?? "the STS endpoint"}; is it running (tobira sandbox up)?`,
    InvalidClientTokenId: "the stored access key is unknown to AWS: store a valid one with tobira add",
    SignatureDoesNotMatch: "the stored secret does not match the access key: store it again with tobira add",
    ExpiredToken: "cached credentials expired early; run tobira clear and try again",
    AccessDenied: /MultiFactorAuthentication/i.test(reason)
      ? "the MFA code was wrong or already used: wait for the next code and try again"
      : "check the role's trust policy, the user's permissions and mfa_serial in the profile",
    ValidationError: "check duration_seconds, role_session_name and the tags in the profile",
  };
  const hint = (code && hints[code]) ?? "run with TOBIRA_DEBUG=1 for details";
  return new StsCallError(`${what} failed: ${code ? `${code}: ` : ""}${reason}`, {
    ...(code === undefined ? {} : { code }),
    hint,
    cause: error,
  });
}
