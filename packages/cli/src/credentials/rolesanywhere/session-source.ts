// Role credentials for a spec: read the identity once, then one CreateSession per call — what serve and update
// call before each expiry (credential-process and profiles go through the cache: cached-session.ts).

import { createRolesAnywhereSession, type RolesAnywhereSession } from "./create-session.js";
import { readIdentity } from "./key-material.js";
import { type RolesAnywhereSpec, settleTarget } from "./session-target.js";

export interface SessionSource {
  /** A fresh session from IAM Roles Anywhere. */
  fetch(): Promise<RolesAnywhereSession>;
  /** The role's name (the last part of its ARN): the IMDS credentials path uses it. */
  roleName: string;
}

export async function openSessionSource(
  spec: RolesAnywhereSpec,
  env: NodeJS.ProcessEnv,
): Promise<SessionSource> {
  const target = settleTarget(spec, env);
  const identity = await readIdentity(spec.files, env);
  return {
    fetch: () => createRolesAnywhereSession(target, identity),
    roleName: spec.roleArn.split("/").pop() ?? spec.roleArn,
  };
}
