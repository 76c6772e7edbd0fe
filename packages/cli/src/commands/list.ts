// `tobira list`: the profiles whose long-term keys the vault holds, and with --sessions what the session cache
// holds until when (profile, kind, role, expiry — never the credentials).
import type { Command } from "commander";
import type { ProfileListing } from "../config/index.js";
import { backendOption } from "../vault/backend-option.js";

interface ListOptions {
  sessions?: boolean;
  json?: boolean;
  backend?: string;
}

/** "in 42 min", "in 3 h 5 min", "expired 10 min ago" — relative to `now`. */
function untilExpiry(expiration: string, now: number): string {
  const ms = Date.parse(expiration) - now;
  if (Number.isNaN(ms)) return "unknown expiry";
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const span = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return ms > 0 ? `in ${span}` : `expired ${span} ago`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function register(program: Command): void {
  program
    .command("list")
    .description(
      "list the profiles whose long-term keys are in the vault, and with --sessions the cached sessions",
    )
    .option("--sessions", "also list cached temporary sessions: profile, kind, role and expiry")
    .option("--json", "print JSON instead of a table")
    .addOption(backendOption())
    .addHelpText(
      "after",
      `
Examples:
  $ tobira list
  $ tobira list --sessions
  $ tobira list --json | jq -r '.profiles[].profile'`,
    )
    .action(async (options: ListOptions) => {
      const { openVault } = await import("../vault/open-vault.js");
      const { maskAccessKeyId } = await import("../vault/access-key-shape.js");
      const { listProfiles, loadConfigFiles } = await import("../config/index.js");
      const vault = await openVault({ backend: options.backend });
      const stored = new Map<string, { accessKeyId: string; addedAt: string; userName?: string }>();
      for (const profile of await vault.keys.list()) {
        const key = await vault.keys.get(profile);
        if (!key) continue;
        stored.set(profile, {
          accessKeyId: maskAccessKeyId(key.accessKeyId),
          addedAt: key.addedAt,
          ...(key.userName ? { userName: key.userName } : {}),
        });
      }
      // The AWS config files say which profiles use the stored keys; a broken file must not hide the vault.
      let listing: ProfileListing[] = [];
      try {
        listing = listProfiles(await loadConfigFiles(), { storedKeys: stored.keys() });
      } catch (error) {
        process.stderr.write(`tobira: listing the vault only: ${(error as Error).message}\n`);
      }
      const fromConfig = new Map(listing.map((entry) => [entry.name, entry]));
      const profiles = [...new Set([...stored.keys(), ...fromConfig.keys()])].sort().map((name) => {
        const entry = fromConfig.get(name);
        const { name: _name, ...config } = entry ?? { name };
        const vaultKey = stored.get(name);
        return { profile: name, inConfig: entry !== undefined, ...config, ...(vaultKey ? { vaultKey } : {}) };
      });
      const now = Date.now();
      const { listCachedSessions } = await import("../credentials/cached-sessions.js");
      const sessions = options.sessions ? await listCachedSessions(process.env, now) : undefined;

      if (options.json) {
        const document = {
          backend: vault.backend,
          location: vault.location,
          profiles,
          ...(sessions ? { sessions } : {}),
        };
        process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
        return;
      }
      const out: string[] = [`Vault: ${vault.location}`];
      if (profiles.length === 0)
        out.push("No profiles and no stored keys. Add a key with `tobira add PROFILE`.");
      else {
        out.push(
          table([
            ["PROFILE", "KIND", "VAULT KEY", "DETAIL"],
            ...profiles.map((p) => [
              p.profile,
              "kind" in p && p.kind ? p.kind : "-",
              p.vaultKey ? `${p.vaultKey.accessKeyId} (${p.vaultKey.addedAt.slice(0, 10)})` : "-",
              detailOf(p),
            ]),
          ]),
        );
      }
      if (sessions) {
        const { defaultSessionCacheLocation } = await import("../credentials/session-cache-file.js");
        out.push("", `Session cache: ${defaultSessionCacheLocation(process.env).cacheDir}`);
        if (sessions.length === 0) out.push("No cached sessions.");
        else {
          out.push(
            table([
              ["SESSION FOR", "KIND", "ROLE", "EXPIRES"],
              ...sessions.map((s) => [
                s.profile,
                s.kind,
                s.roleArn ?? "-",
                `${s.expiration} (${untilExpiry(s.expiration, now)})`,
              ]),
            ]),
          );
        }
      }
      process.stdout.write(`${out.join("\n")}\n`);
    });
}

/** One line on what backs a profile: its role, keys left in a file, a problem, or that only the vault knows it. */
function detailOf(entry: Partial<ProfileListing> & { profile: string; inConfig: boolean }): string {
  if (entry.problem) return `problem: ${entry.problem}`;
  if (!entry.inConfig) return "not in the AWS config files";
  if (entry.roleArn) return `${entry.roleArn}${entry.sourceProfile ? ` via ${entry.sourceProfile}` : ""}`;
  if (entry.hasFileKeys)
    return `keys written in the AWS files; move them with \`tobira add ${entry.profile}\``;
  return "";
}
