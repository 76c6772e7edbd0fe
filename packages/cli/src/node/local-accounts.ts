// The local users and groups `tobira node serve --allow-user/--allow-group` names, from /etc/passwd and
// /etc/group (names or numeric ids), and the check of a peer's uid/gid against them: a user is allowed by
// its uid, by its primary gid, or by being a listed member of an allowed group.

import { readFileSync } from "node:fs";
import { UsageError } from "../errors.js";

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

function readLines(path: string): string[][] {
  try {
    return readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"))
      .map((line) => line.split(":"));
  } catch {
    return [];
  }
}

export function passwd(path = "/etc/passwd"): PasswdEntry[] {
  return readLines(path).map((f) => ({ name: f[0] ?? "", uid: Number(f[2]), gid: Number(f[3]) }));
}

export function groups(path = "/etc/group"): GroupEntry[] {
  return readLines(path).map((f) => ({
    name: f[0] ?? "",
    gid: Number(f[2]),
    members: (f[3] ?? "").split(",").filter(Boolean),
  }));
}

export interface AllowList {
  uids: Set<number>;
  gids: Set<number>;
  /** What was given, for messages. */
  described: string;
}

/** Resolves `--allow-user` and `--allow-group` values; an unknown name is an error now, not a silent refusal later. */
export function resolveAllowList(users: string[], groupNames: string[]): AllowList {
  const known = passwd();
  const knownGroups = groups();
  const uids = new Set<number>();
  const gids = new Set<number>();
  for (const user of users) {
    const uid = /^\d+$/.test(user) ? Number(user) : known.find((p) => p.name === user)?.uid;
    if (uid === undefined)
      throw new UsageError(`no local user ${user}`, {
        hint: "give a name from /etc/passwd or a numeric uid",
      });
    uids.add(uid);
  }
  for (const group of groupNames) {
    const gid = /^\d+$/.test(group) ? Number(group) : knownGroups.find((g) => g.name === group)?.gid;
    if (gid === undefined)
      throw new UsageError(`no local group ${group}`, {
        hint: "give a name from /etc/group or a numeric gid",
      });
    gids.add(gid);
  }
  if (uids.size === 0 && gids.size === 0) {
    throw new UsageError("nobody is allowed", {
      hint: "name the users or groups to serve: --allow-user NAME, --allow-group NAME",
    });
  }
  const described = [...users.map((u) => `user ${u}`), ...groupNames.map((g) => `group ${g}`)].join(", ");
  return { uids, gids, described };
}

/** Whether the peer (uid, primary gid from SO_PEERCRED) is allowed, and a name for the log. */
export function peerAllowed(
  list: AllowList,
  peer: { uid: number; gid: number },
): { allowed: boolean; who: string } {
  const entry = passwd().find((p) => p.uid === peer.uid);
  const who = `uid ${peer.uid}${entry ? ` (${entry.name})` : ""}`;
  if (list.uids.has(peer.uid) || list.gids.has(peer.gid)) return { allowed: true, who };
  const member =
    entry !== undefined && groups().some((g) => list.gids.has(g.gid) && g.members.includes(entry.name));
  return { allowed: member, who };
}
