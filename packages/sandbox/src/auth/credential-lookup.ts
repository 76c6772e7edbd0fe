// Resolves an access key id to its secret and to the caller it stands for: a world user's long-term key
// (as changed by IAM calls) or temporary credentials this sandbox issued.

import { findRoleByArn, findUser } from "../services/world-lookup.js";
import type { IssuedSession, SandboxState } from "../state/sandbox-state.js";
import type { World } from "../world/model.js";
import type { Caller } from "./caller.js";

export type KeyLookup =
  | { kind: "unknown" }
  | { kind: "inactive" }
  | { kind: "long-term"; secret: string; caller: Caller }
  | { kind: "session"; secret: string; session: IssuedSession; caller: Caller | undefined };

function longTermKey(world: World, state: SandboxState, accessKeyId: string): KeyLookup | undefined {
  for (const user of world.users) {
    const key = state.accessKeysOf(user).find((k) => k.id === accessKeyId);
    if (!key) continue;
    if (key.status !== "Active") return { kind: "inactive" };
    const caller: Caller = {
      type: "User",
      credential: "long-term",
      arn: user.arn,
      principalArn: user.arn,
      account: user.account,
      userId: user.userId,
      userName: user.name,
      accessKeyId,
      tags: { ...user.tags },
      transitiveTagKeys: [],
      roleChain: false,
    };
    return { kind: "long-term", secret: key.secret, caller };
  }
  return undefined;
}

/** The caller a session acts as, or undefined when the world no longer has its user or role. */
export function callerOfSession(world: World, session: IssuedSession): Caller | undefined {
  const common = {
    account: session.account,
    accessKeyId: session.accessKeyId,
    tags: { ...session.tags },
    transitiveTagKeys: [...session.transitiveTagKeys],
    mfaAuthenticatedAtMs: session.mfaAuthenticatedAt ? Date.parse(session.mfaAuthenticatedAt) : undefined,
    tokenIssuedAtMs: Date.parse(session.issuedAt),
    sourceIdentity: session.sourceIdentity,
    sessionPolicy: session.sessionPolicy,
    roleChain: session.roleChain,
  };
  if (session.kind === "assumed-role") {
    const role = session.roleArn ? findRoleByArn(world, session.roleArn) : undefined;
    if (!role || !session.sessionName) return undefined;
    return {
      ...common,
      type: "AssumedRole",
      credential: "assumed-role",
      arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${session.sessionName}`,
      principalArn: role.arn,
      userId: `${role.roleId}:${session.sessionName}`,
      roleArn: role.arn,
      roleName: role.name,
      sessionName: session.sessionName,
    };
  }
  const user = session.userName ? findUser(world, session.account, session.userName) : undefined;
  if (!user) return undefined;
  if (session.kind === "federation-token") {
    const name = session.federatedName ?? "";
    const arn = `arn:aws:sts::${user.account}:federated-user/${name}`;
    return {
      ...common,
      type: "FederatedUser",
      credential: "federation-token",
      arn,
      principalArn: arn,
      userId: `${user.account}:${name}`,
      userName: user.name,
      federatedName: name,
    };
  }
  // GetSessionToken credentials act as the user itself, with the user's tags.
  return {
    ...common,
    type: "User",
    credential: "session-token",
    arn: user.arn,
    principalArn: user.arn,
    userId: user.userId,
    userName: user.name,
    tags: { ...user.tags },
  };
}

export function lookupAccessKey(world: World, state: SandboxState, accessKeyId: string): KeyLookup {
  const longTerm = longTermKey(world, state, accessKeyId);
  if (longTerm) return longTerm;
  const session = state.findSession(accessKeyId);
  if (!session) return { kind: "unknown" };
  return {
    kind: "session",
    secret: session.secretAccessKey,
    session,
    caller: callerOfSession(world, session),
  };
}
