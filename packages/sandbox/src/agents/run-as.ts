// Decides which OS identity a session's processes run as: Run As from the preferences and the caller's
// SSMSessionRunAs tag (never root), a real user switch when the sandbox is root and the account exists,
// else the sandbox's own user with USER, LOGNAME and HOME set to the Run As user and a note saying so.

import { mkdirSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { runAsFor, type SessionRecord } from "../services/ssm/session-store.js";
import { findOsAccount, type OsAccount } from "./os-users.js";

/** The account the real agent creates and uses when Run As is off. */
export const AGENT_DEFAULT_USER = "ssm-user";

export interface OsIdentity {
  /** The user the session is for (USER, LOGNAME). */
  user: string;
  home: string;
  /** Login shell for $SHELL. */
  shell: string;
  /** Set when the processes really run as that account. */
  uid?: number;
  gid?: number;
  /** Present when the sandbox could not switch user: one line for the session's banner. */
  note?: string;
}

export type RunAsOutcome = { ok: true; identity: OsIdentity } | { ok: false; reason: string };

export interface RunAsEnvironment {
  /** The sandbox's state folder: pretend users get `<stateDir>/home/<user>`. */
  stateDir: string;
  /** process.getuid() of the sandbox; only root (0) can switch user. */
  processUid: number;
  lookup?: (name: string) => OsAccount | undefined;
}

/** A user name safe to use as a folder name and in messages. */
const USER_NAME = /^[a-z_][a-z0-9_.-]{0,31}\$?$/i;

export function resolveRunAs(session: SessionRecord, env: RunAsEnvironment): RunAsOutcome {
  const decision = runAsFor(session);
  if (decision.kind === "refused") return { ok: false, reason: decision.reason };
  const user = decision.kind === "user" ? decision.user : AGENT_DEFAULT_USER;
  if (!USER_NAME.test(user)) {
    return { ok: false, reason: `Run As user ${JSON.stringify(user)} is not a valid OS user name.` };
  }
  const account = (env.lookup ?? findOsAccount)(user);
  if (account !== undefined && account.uid === 0) {
    return {
      ok: false,
      reason: `Run As user ${user} is root (uid 0); Session Manager never runs sessions as root.`,
    };
  }
  if (account !== undefined && env.processUid === 0) {
    return {
      ok: true,
      identity: { user, home: account.home, shell: account.shell, uid: account.uid, gid: account.gid },
    };
  }
  const home = join(env.stateDir, "home", user);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const why =
    account === undefined
      ? `the OS user ${user} does not exist here`
      : "the sandbox is not running as root, so it cannot switch user";
  return {
    ok: true,
    identity: {
      user,
      home,
      shell: "/bin/sh",
      note: `[tobira sandbox] Run As ${user}: ${why}; this session runs as the sandbox's own user with USER, LOGNAME and HOME set to ${user}.`,
    },
  };
}

/** The agent's own identity, for plugins that start no process of a session user (port forwarding). */
export function agentOwnIdentity(): OsIdentity {
  const me = userInfo();
  return { user: me.username, home: me.homedir, shell: me.shell ?? "/bin/sh" };
}

/** The environment a session's processes start with: nothing of the sandbox's own (it may hold credentials). */
export function sessionEnvironment(
  identity: OsIdentity,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    HOME: identity.home,
    USER: identity.user,
    LOGNAME: identity.user,
    SHELL: identity.shell === "" ? "/bin/sh" : identity.shell,
    LANG: process.env.LANG ?? "C.UTF-8",
    ...extra,
  };
}
