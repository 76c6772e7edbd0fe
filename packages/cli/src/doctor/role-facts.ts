// Reads a role the chain just assumed, with the role's own credentials (IAM is per account, so only the role's
// session can read it): its tags (for ABAC checks), its maximum session duration, and whether its trust policy
// asks for MFA.
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import type { AwsCredentials } from "../credentials/ports.js";
import type { RoleFacts } from "./context.js";

export function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf("/") + 1);
}

export interface AwsPlace {
  region: string;
  endpoint?: string | undefined;
}

export function clientConfig(place: AwsPlace, credentials: AwsCredentials) {
  return {
    region: place.region,
    ...(place.endpoint === undefined ? {} : { endpoint: place.endpoint }),
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
    },
    maxAttempts: 1,
  };
}

export async function readRoleFacts(
  place: AwsPlace,
  credentials: AwsCredentials,
  roleArn: string,
): Promise<RoleFacts> {
  const iam = new IAMClient(clientConfig(place, credentials));
  try {
    const role = (await iam.send(new GetRoleCommand({ RoleName: roleNameOf(roleArn) }))).Role;
    const trust = decodeURIComponent(role?.AssumeRolePolicyDocument ?? "");
    return {
      tags: Object.fromEntries((role?.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])),
      maxSessionDuration: role?.MaxSessionDuration ?? 3600,
      trustAsksForMfa: /aws:MultiFactorAuth(Present|Age)/i.test(trust),
    };
  } finally {
    iam.destroy();
  }
}
