// What `tobira list [--sessions] [--json]` does: the profiles whose long-term keys the vault holds (and those
// the AWS config files name), and with --sessions what the session cache holds until when — never a secret.

import { listProfiles, loadConfigFiles, type ProfileListing } from "../config/index.js";
import { type CachedSessionInfo, listCachedSessions } from "../credentials/cached-sessions.js";
import { defaultSessionCacheLocation } from "../credentials/session-cache-reader.js";
import { maskAccessKeyId } from "../vault/access-key-shape.js";
import { openVault } from "../vault/open-vault.js";
import type { Vault } from "../vault/vault.js";
import { type ListedProfile, profilesTable, type StoredKeyListing, sessionsTable } from "./list-table.js";

export interface ListOptions {
  sessions?: boolean;
  json?: boolean;
  backend?: string;
}

export async function runList(options: ListOptions): Promise<void> {
  const vault = await openVault({ backend: options.backend });
  const profiles = await listedProfiles(await storedKeys(vault));
  const now = Date.now();
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
  process.stdout.write(`${listingText(vault.location, profiles, sessions, now).join("\n")}\n`);
}

async function storedKeys(vault: Vault): Promise<Map<string, StoredKeyListing>> {
  const stored = new Map<string, StoredKeyListing>();
  for (const profile of await vault.keys.list()) {
    const key = await vault.keys.get(profile);
    if (!key) continue;
    stored.set(profile, {
      accessKeyId: maskAccessKeyId(key.accessKeyId),
      addedAt: key.addedAt,
      ...(key.userName ? { userName: key.userName } : {}),
    });
  }
  return stored;
}

/** The vault's profiles and the config files' profiles, merged and sorted by name. */
async function listedProfiles(stored: Map<string, StoredKeyListing>): Promise<ListedProfile[]> {
  // The AWS config files say which profiles use the stored keys; a broken file must not hide the vault.
  let listing: ProfileListing[] = [];
  try {
    listing = listProfiles(await loadConfigFiles(), { storedKeys: stored.keys() });
  } catch (error) {
    process.stderr.write(`tobira: listing the vault only: ${(error as Error).message}\n`);
  }
  const fromConfig = new Map(listing.map((entry) => [entry.name, entry]));
  return [...new Set([...stored.keys(), ...fromConfig.keys()])].sort().map((name) => {
    const entry = fromConfig.get(name);
    const { name: _name, ...config } = entry ?? { name };
    const vaultKey = stored.get(name);
    return { profile: name, inConfig: entry !== undefined, ...config, ...(vaultKey ? { vaultKey } : {}) };
  });
}

function listingText(
  location: string,
  profiles: ListedProfile[],
  sessions: CachedSessionInfo[] | undefined,
  now: number,
): string[] {
  const out: string[] = [`Vault: ${location}`];
  if (profiles.length === 0) out.push("No profiles and no stored keys. Add a key with `tobira add PROFILE`.");
  else out.push(profilesTable(profiles));
  if (sessions) {
    out.push("", `Session cache: ${defaultSessionCacheLocation(process.env).cacheDir}`);
    out.push(sessions.length === 0 ? "No cached sessions." : sessionsTable(sessions, now));
  }
  return out;
}
