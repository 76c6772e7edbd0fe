// Moves every long-term key and stored secret from one backend to another: copy, verify, then remove from the
// source.
import { isDeepStrictEqual } from "node:util";
import { TobiraError } from "../errors.js";
import type { LongTermKey, StoredSecret, Vault } from "./vault.js";

export interface MigrationResult {
  keys: number;
  secrets: number;
}

/**
 * Copies all items of `from` into `to`, reads each back to verify it, and only then removes them from `from`.
 * A profile already in `to` with a different key stops the migration before anything is written, unless
 * `overwrite`. Any failure before the removal step leaves `from` exactly as it was.
 */
export async function migrateVault(
  from: Vault,
  to: Vault,
  options: { overwrite?: boolean | undefined } = {},
): Promise<MigrationResult> {
  const keys = new Map<string, LongTermKey>();
  for (const profile of await from.keys.list()) {
    const key = await from.keys.get(profile);
    if (key) keys.set(profile, key);
  }
  const secrets = new Map<string, StoredSecret>();
  for (const name of await from.secrets.list()) {
    const secret = await from.secrets.get(name);
    if (secret) secrets.set(name, secret);
  }

  if (!options.overwrite) {
    const clashes: string[] = [];
    for (const [profile, key] of keys) {
      const existing = await to.keys.get(profile);
      if (existing && !isDeepStrictEqual(existing, key)) clashes.push(profile);
    }
    for (const [name, secret] of secrets) {
      const existing = await to.secrets.get(name);
      if (existing && !isDeepStrictEqual(existing, secret)) clashes.push(name);
    }
    if (clashes.length > 0) {
      throw new TobiraError(`the ${to.backend} vault already holds other keys for: ${clashes.join(", ")}`, {
        hint: "remove them there first, or run `tobira vault migrate` with --overwrite; nothing was changed",
      });
    }
  }

  for (const [profile, key] of keys) await to.keys.set(profile, key);
  for (const [name, secret] of secrets) await to.secrets.set(name, secret);

  for (const [profile, key] of keys) {
    if (!isDeepStrictEqual(await to.keys.get(profile), key)) {
      throw new TobiraError(
        `the key of '${profile}' did not read back the same from the ${to.backend} vault`,
        {
          hint: `the ${from.backend} vault was left as it was; check the ${to.backend} vault and try again`,
        },
      );
    }
  }
  for (const [name, secret] of secrets) {
    if (!isDeepStrictEqual(await to.secrets.get(name), secret)) {
      throw new TobiraError(`the secret '${name}' did not read back the same from the ${to.backend} vault`, {
        hint: `the ${from.backend} vault was left as it was; check the ${to.backend} vault and try again`,
      });
    }
  }
  for (const profile of keys.keys()) await from.keys.remove(profile);
  for (const name of secrets.keys()) await from.secrets.remove(name);
  return { keys: keys.size, secrets: secrets.size };
}
