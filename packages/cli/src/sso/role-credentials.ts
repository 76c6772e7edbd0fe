// GetRoleCredentials through the AWS SDK's @aws-sdk/client-sso: the permission set's role in the account, for
// the access token of the profile's sso-session. A token the portal refuses (logged out, revoked, expired) means
// signing in again; a role the user is not assigned is said as such.
import { TobiraError } from "../errors.js";
import { loginRequired, ssoAccessToken } from "./access-token.js";
import { clientOptions, ssoEndpoints } from "./sso-endpoints.js";

/** What GetRoleCredentials needs: the credential chain's SsoRoleStep is this and its kind. */
export interface SsoRoleRequest {
  profile: string;
  accountId: string;
  /** The permission set's name (sso_role_name). */
  roleName: string;
  startUrl: string;
  sessionName?: string | undefined;
  /** The sso_region: where the portal is called. */
  region: string;
  endpointUrl?: string;
}

export interface SsoRoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
}

export async function ssoRoleCredentials(
  step: SsoRoleRequest,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SsoRoleCredentials> {
  const notice = (line: string) => process.stderr.write(`tobira: ${line}\n`);
  const accessToken = await ssoAccessToken(step, env, notice);
  const { SSOClient, GetRoleCredentialsCommand } = await import("@aws-sdk/client-sso");
  const portal = new SSOClient(clientOptions(step.region, ssoEndpoints(env, step.endpointUrl).portal));
  try {
    const answer = await portal.send(
      new GetRoleCredentialsCommand({ accessToken, accountId: step.accountId, roleName: step.roleName }),
    );
    const c = answer.roleCredentials;
    if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken || c.expiration === undefined) {
      throw new TobiraError("IAM Identity Center answered GetRoleCredentials without credentials");
    }
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
      expiration: new Date(c.expiration).toISOString(),
    };
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === "UnauthorizedException")
      throw loginRequired(step, "is no longer valid (signed out, revoked or expired)");
    if (name === "ForbiddenException" || name === "ResourceNotFoundException") {
      throw new TobiraError(
        `profile '${step.profile}': IAM Identity Center gives this user no permission set ${step.roleName} in account ${step.accountId}`,
        {
          hint: "check sso_account_id and sso_role_name (the permission set's name) against your AWS access portal",
        },
      );
    }
    throw error;
  }
}
