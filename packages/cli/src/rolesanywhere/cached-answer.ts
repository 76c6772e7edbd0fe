// The Roles Anywhere half of the credential-process fast path: `tobira rolesanywhere credential-process` with
// the identity given as flags, answered from the session cache before commander or the signer is loaded.
// Anything it does not fully understand (--profile, --no-cache, --help, an unknown word) is left to the full
// path, which derives the same key (credentials/rolesanywhere/session-cache-key.ts).

import type { TemporaryCredentials } from "../credentials/ports.js";
import { specFromSettings } from "../credentials/rolesanywhere/profile-settings.js";
import { isFreshEntry, rolesAnywhereCacheKey } from "../credentials/rolesanywhere/session-cache-key.js";
import { settleTarget } from "../credentials/rolesanywhere/session-target.js";
import { defaultSessionCacheLocation, SessionCacheReader } from "../credentials/session-cache-reader.js";

/** Flag word → the setting it stands for; kept equal to spec-from-flags.ts's table by a test. */
export const FLAG_WORDS: Record<string, string> = {
  "--certificate": "certificate",
  "--private-key": "private_key",
  "--intermediates": "intermediates",
  "--trust-anchor-arn": "trust_anchor_arn",
  "--profile-arn": "profile_arn",
  "--role-arn": "role_arn",
  "--session-duration": "session_duration",
  "--role-session-name": "role_session_name",
  "--region": "region",
  "--endpoint": "endpoint",
  "--passphrase-source": "passphrase_source",
};

/** The settings the words give, as commander would read them (last one wins), or undefined for anything else. */
export function settingsOfWords(words: readonly string[]): Record<string, string> | undefined {
  const settings: Record<string, string> = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const eq = word.indexOf("=");
    const flag = eq > 0 ? word.slice(0, eq) : word;
    const key = FLAG_WORDS[flag];
    if (key === undefined) return undefined;
    const value = eq > 0 ? word.slice(eq + 1) : words[++i];
    if (value === undefined || (eq < 0 && value.startsWith("-"))) return undefined;
    settings[key] = value;
  }
  return settings;
}

/** The cached credentials for these words, when they are fresh; undefined on a miss or anything unusual. */
export function cachedCredentialsForWords(
  words: readonly string[],
  env: NodeJS.ProcessEnv,
  now: number = Date.now(),
): TemporaryCredentials | undefined {
  const settings = settingsOfWords(words);
  if (settings === undefined) return undefined;
  if (settings.session_duration !== undefined && !/^\d+$/.test(settings.session_duration)) return undefined;
  const spec = specFromSettings("(command line)", settings, env);
  const key = rolesAnywhereCacheKey(spec.files, settleTarget(spec, env));
  const entry = new SessionCacheReader(defaultSessionCacheLocation(env)).get(key);
  return isFreshEntry(entry, now) ? entry.credentials : undefined;
}
