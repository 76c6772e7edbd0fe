// GetFederationToken for an IAM user's console session, through the AWS SDK. The call takes no MFA code, so
// the console session it opens carries no MFA context; the caller says so to the user.
import { GetFederationTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { StsCallError } from "../../credentials/errors.js";
import type { AwsCredentials, TemporaryCredentials } from "../../credentials/ports.js";
import { temporary } from "../../credentials/sts-calls.js";

/** Allows everything: the federated user's permissions are then exactly the IAM user's (the intersection). */
const USER_PERMISSIONS_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});

export const FEDERATION_MIN_SECONDS = 900;
export const FEDERATION_MAX_SECONDS = 129600;
export const FEDERATION_DEFAULT_SECONDS = 3600;

/** The federated user's name: the IAM user's, cut to the 32 characters GetFederationToken takes. */
export function federatedName(userName: string): string {
  const cleaned = userName.replace(/[^\w+=,.@-]/g, "-").slice(0, 32);
  return cleaned.length >= 2 ? cleaned : `${cleaned}--`.slice(0, 2);
}

export async function getFederationToken(
  longTerm: AwsCredentials,
  input: { name: string; durationSeconds: number; region: string; endpointUrl?: string; profile: string },
): Promise<TemporaryCredentials> {
  const sts = new STSClient({
    region: input.region,
    ...(input.endpointUrl === undefined ? {} : { endpoint: input.endpointUrl }),
    credentials: { accessKeyId: longTerm.accessKeyId, secretAccessKey: longTerm.secretAccessKey },
  });
  try {
    const out = await sts.send(
      new GetFederationTokenCommand({
        Name: input.name,
        DurationSeconds: input.durationSeconds,
        Policy: USER_PERMISSIONS_POLICY,
      }),
    );
    return temporary(out.Credentials, "GetFederationToken");
  } catch (error) {
    if (error instanceof StsCallError) throw error;
    const e = error as { name?: string; message?: string };
    throw new StsCallError(
      `GetFederationToken for profile '${input.profile}' failed: ${e.name ? `${e.name}: ` : ""}${e.message ?? String(error)}`,
      {
        ...(e.name === undefined ? {} : { code: e.name }),
        hint:
          e.name === "AccessDenied"
            ? "the IAM user may not call sts:GetFederationToken with its keys (a policy that denies everything " +
              "without MFA does that: long-term keys carry no MFA); sign in through a role profile with mfa_serial instead"
            : "run with TOBIRA_DEBUG=1 for details",
        cause: error,
      },
    );
  } finally {
    sts.destroy();
  }
}
