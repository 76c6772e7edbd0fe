// Issues a Roles Anywhere session: assumed-role credentials whose session name is the certificate's serial
// number (or the profile-accepted roleSessionName), whose source identity is the subject CN, whose principal
// tags are the role's overridden by the certificate's, and whose session policy is the profile's.

import { newAccessKeyId, newSecretAccessKey, newSessionToken } from "../auth/key-issuer.js";
import type { PolicyDocument, Statement } from "../policy/types.js";
import type { SandboxRuntime } from "../server/runtime.js";
import type { IssuedSession } from "../state/sandbox-state.js";
import type { IamRole } from "../world/model.js";
import { parsedSessionPolicy, type RaProfile } from "./model.js";

function statements(document: PolicyDocument): Statement[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}

/**
 * The profile's inline session policy and managed policies as one session policy: the session may do what
 * any of them allows and the role allows (AWS intersects the role's permissions with the session policies).
 */
export function profileSessionPolicy(
  runtime: SandboxRuntime,
  profile: RaProfile,
): PolicyDocument | undefined {
  const inline = parsedSessionPolicy(profile);
  const managed = profile.managedPolicyArns.flatMap((arn) => {
    const found = runtime.world.managedPolicies.find((p) => p.arn === arn);
    return found ? [found.document] : [];
  });
  const all = [...(inline ? [inline] : []), ...managed];
  if (all.length === 0 && profile.managedPolicyArns.length === 0) return undefined;
  return { Version: "2012-10-17", Statement: all.flatMap(statements) };
}

export interface SessionGrant {
  role: IamRole;
  profile: RaProfile;
  sessionName: string;
  tags: Record<string, string>;
  sourceIdentity?: string | undefined;
  expiresAt: number;
}

export function issueRolesAnywhereSession(
  runtime: SandboxRuntime,
  grant: SessionGrant,
  now: number,
): IssuedSession {
  const session: IssuedSession = {
    kind: "assumed-role",
    account: grant.role.account,
    roleArn: grant.role.arn,
    sessionName: grant.sessionName,
    tags: { ...grant.role.tags, ...grant.tags },
    transitiveTagKeys: [],
    sourceIdentity: grant.sourceIdentity,
    sessionPolicy: profileSessionPolicy(runtime, grant.profile),
    roleChain: false,
    accessKeyId: newAccessKeyId("temporary"),
    secretAccessKey: newSecretAccessKey(),
    sessionToken: newSessionToken(),
    issuedAt: new Date(now).toISOString(),
    expiration: new Date(grant.expiresAt).toISOString(),
  };
  runtime.state.addSession(session);
  return session;
}
