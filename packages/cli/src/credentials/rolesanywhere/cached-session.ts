// Roles Anywhere credentials through tobira's session cache, as the STS steps are cached: a hit is answered
// without reading the private key (no passphrase, no signature, no CreateSession), a miss makes one
// CreateSession under a cross-process lock so concurrent callers (an AWS CLI loop, parallel SDKs) share it.
//
// The cache key covers every input of CreateSession, files by their contents (session-cache-key.ts). Entries
// are sealed and named as every session-cache entry (session-cache-file.ts: 0600, atomic writes, keyed-hash
// names); credentials within REFRESH_MARGIN_MS of expiry are fetched again.

import { FileCacheLock } from "../cache-lock-file.js";
import type { CacheEntry, TemporaryCredentials } from "../ports.js";
import { FileSessionCache } from "../session-cache-file.js";
import { defaultSessionCacheLocation } from "../session-cache-reader.js";
import { createRolesAnywhereSession } from "./create-session.js";
import { readIdentity } from "./key-material.js";
import { specFromSettings } from "./profile-settings.js";
import { isFreshEntry, rolesAnywhereCacheKey } from "./session-cache-key.js";
import { type RolesAnywhereSpec, settleTarget } from "./session-target.js";

export interface CachedSessionOptions {
  /** The name `tobira list --sessions` and `tobira clear` know the entry by: the config profile, or "(command line)". */
  profile: string;
  /** True: one CreateSession, nothing read from or written to the cache. */
  noCache?: boolean;
  now?: () => number;
  /** One line for the user on stderr ("waiting for another process"). */
  notice?: (line: string) => void;
}

export interface CachedSessionResult {
  credentials: TemporaryCredentials;
  fromCache: boolean;
}

const COMMAND_LINE = "(command line)";

/**
 * The same inputs given first as flags, then through a profile, share one entry; it then takes the profile's
 * name, or `tobira clear PROFILE` would not find what that profile is served from. A failed relabel loses
 * nothing: the credentials are still served.
 */
async function labelForProfile(
  cache: FileSessionCache,
  key: string,
  hit: CacheEntry,
  profile: string,
): Promise<void> {
  if (profile === COMMAND_LINE || hit.meta.profile === profile) return;
  await cache.put(key, { ...hit, meta: { ...hit.meta, profile } }).catch(() => undefined);
}

export async function cachedRolesAnywhereCredentials(
  spec: RolesAnywhereSpec,
  env: NodeJS.ProcessEnv,
  options: CachedSessionOptions,
): Promise<CachedSessionResult> {
  const target = settleTarget(spec, env);
  const fetchOnce = async () =>
    (await createRolesAnywhereSession(target, await readIdentity(spec.files, env))).credentials;
  if (options.noCache) return { credentials: await fetchOnce(), fromCache: false };

  const now = options.now ?? Date.now;
  const notice = options.notice ?? ((line: string) => process.stderr.write(`tobira: ${line}\n`));
  const cache = new FileSessionCache(defaultSessionCacheLocation(env), now);
  const key = rolesAnywhereCacheKey(spec.files, target);
  const hit = await cache.get(key);
  if (isFreshEntry(hit, now())) {
    await labelForProfile(cache, key, hit, options.profile);
    return { credentials: hit.credentials, fromCache: true };
  }

  const lock = new FileCacheLock((name) => cache.lockPath(name));
  return lock.withLock(
    `rolesanywhere:${key}`,
    () => notice("waiting for another tobira process to get these Roles Anywhere credentials"),
    async () => {
      // Another process may have stored them while this one waited for the lock.
      const stored = await cache.get(key);
      if (isFreshEntry(stored, now())) return { credentials: stored.credentials, fromCache: true };
      const credentials = await fetchOnce();
      await cache.put(key, {
        expiresAt: credentials.expiration,
        credentials,
        meta: {
          kind: "rolesanywhere",
          profile: options.profile,
          roleArn: target.roleArn,
          trustAnchorArn: target.trustAnchorArn,
          profileArn: target.profileArn,
        },
      });
      return { credentials, fromCache: false };
    },
  );
}

/** A config profile's tobira_rolesanywhere_* credentials (a `given` source), cached under the profile's name. */
export async function credentialsFromSettings(
  profile: string,
  settings: Record<string, string>,
  env: NodeJS.ProcessEnv,
): Promise<TemporaryCredentials> {
  return (await cachedRolesAnywhereCredentials(specFromSettings(profile, settings, env), env, { profile }))
    .credentials;
}
