// The tables `tobira list` prints: profiles with their vault keys, and cached sessions with their expiry (pure).

import type { ProfileListing } from "../config/index.js";
import type { CachedSessionInfo } from "../credentials/cached-sessions.js";

/** A stored key as listed: its id masked, when it was added, the IAM user when known. */
export interface StoredKeyListing {
  accessKeyId: string;
  addedAt: string;
  userName?: string;
}

/** One row of `tobira list`: what the config files say of a profile, and the vault's key for it. */
export type ListedProfile = Partial<Omit<ProfileListing, "name">> & {
  profile: string;
  inConfig: boolean;
  vaultKey?: StoredKeyListing;
};

export function profilesTable(profiles: readonly ListedProfile[]): string {
  return table(
    ["PROFILE", "KIND", "VAULT KEY", "DETAIL"],
    profiles.map((p) => [
      p.profile,
      p.kind ? p.kind : "-",
      p.vaultKey ? `${p.vaultKey.accessKeyId} (${p.vaultKey.addedAt.slice(0, 10)})` : "-",
      detailOf(p),
    ]),
  );
}

export function sessionsTable(sessions: readonly CachedSessionInfo[], now: number): string {
  return table(
    ["SESSION FOR", "KIND", "ROLE", "EXPIRES"],
    sessions.map((s) => [
      s.profile,
      s.kind,
      s.roleArn ?? "-",
      `${s.expiration} (${untilExpiry(s.expiration, now)})`,
    ]),
  );
}

/** "in 42 min", "in 3 h 5 min", "expired 10 min ago" — relative to `now`. */
function untilExpiry(expiration: string, now: number): string {
  const ms = Date.parse(expiration) - now;
  if (Number.isNaN(ms)) return "unknown expiry";
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const span = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return ms > 0 ? `in ${span}` : `expired ${span} ago`;
}

function table(header: string[], body: string[][]): string {
  const rows = [header, ...body];
  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** One line on what backs a profile: its role, keys left in a file, a problem, or that only the vault knows it. */
function detailOf(entry: ListedProfile): string {
  if (entry.problem) return `problem: ${entry.problem}`;
  if (!entry.inConfig) return "not in the AWS config files";
  if (entry.roleArn) return `${entry.roleArn}${entry.sourceProfile ? ` via ${entry.sourceProfile}` : ""}`;
  if (entry.hasFileKeys)
    return `keys written in the AWS files; move them with \`tobira add ${entry.profile}\``;
  return "";
}
