// Which targets the profile's role may be refused on, where that is cheap to know: the tag-based access that
// tobira's CDK constructs (SessionAccessRole) and the sandbox's world set up allows ssm:StartSession only where
// the instance's `Project` tag equals the caller's (aws:PrincipalTag/Project). One iam:GetRole on the role itself
// gives its tags; the profile's own session tags win over them, as they do in AWS.
//
// This reads tags, not policies: an account whose policies say otherwise may allow a marked target or refuse an
// unmarked one, so a mismatch is said as "may be denied", never taken as a verdict. Evaluating the policies
// (iam:SimulatePrincipalPolicy) would take a call per target and a permission few roles have.
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import type { ProfileAccess } from "../ssm/profile-access.js";
import type { Target } from "../ssm/targets.js";

export const REACH_TAG = "Project";

export type ProjectReach =
  /** The role's Project tag is known: targets with another (or none) may be denied. */
  | { kind: "known"; role: string; project: string }
  /** Not checked, and why (an IAM user, no Project tag on the role, GetRole refused). */
  | { kind: "unchecked"; why: string };

/** The role's Project tag, or why it is not known. Never throws: ssh-config works without it. */
export async function projectReach(access: ProfileAccess): Promise<ProjectReach> {
  if (access.role === undefined) {
    return { kind: "unchecked", why: `profile '${access.profile}' is not a role profile` };
  }
  const roleName = access.role.arn.slice(access.role.arn.lastIndexOf("/") + 1);
  const fromSession = access.role.sessionTags[REACH_TAG];
  if (fromSession !== undefined) return { kind: "known", role: roleName, project: fromSession };
  const iam = new IAMClient({
    region: access.region,
    credentials: {
      accessKeyId: access.credentials.accessKeyId,
      secretAccessKey: access.credentials.secretAccessKey,
      ...(access.credentials.sessionToken === undefined
        ? {}
        : { sessionToken: access.credentials.sessionToken }),
    },
    ...(access.endpointUrl === undefined ? {} : { endpoint: access.endpointUrl }),
  });
  try {
    const answer = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    const tag = answer.Role?.Tags?.find((t) => t.Key === REACH_TAG)?.Value;
    if (tag === undefined) {
      return { kind: "unchecked", why: `role ${roleName} has no ${REACH_TAG} tag` };
    }
    return { kind: "known", role: roleName, project: tag };
  } catch (error) {
    const code = (error as { name?: string }).name ?? "an error";
    return { kind: "unchecked", why: `iam:GetRole on role ${roleName} failed (${code})` };
  } finally {
    iam.destroy();
  }
}

/** Why `target` may be denied under `reach`, or undefined when nothing says so. */
export function mayBeDenied(target: Target, reach: ProjectReach): string | undefined {
  if (reach.kind !== "known" || target.project === reach.project) return undefined;
  const its =
    target.project === "" ? `it has no ${REACH_TAG} tag` : `its ${REACH_TAG} tag is '${target.project}'`;
  return `${its}, role ${reach.role}'s is '${reach.project}'`;
}
