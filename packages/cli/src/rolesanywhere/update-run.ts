// `tobira rolesanywhere update`: keeps a credentials-file profile holding the role's credentials, rewritten
// five minutes before they expire (or once, with --once). The file is AWS_SHARED_CREDENTIALS_FILE or
// ~/.aws/credentials; the section --credentials-profile, else `default` (as the helper).

import { setTimeout as sleep } from "node:timers/promises";
import { configFilePaths } from "../config/file-paths.js";
import { openSessionSource } from "../credentials/rolesanywhere/session-source.js";
import { writeProfileKeys } from "./credentials-file.js";
import { FreshCredentials } from "./fresh-credentials.js";
import type { IdentityFlags } from "./identity-flags.js";
import { specFromFlags } from "./spec-from-flags.js";

export interface UpdateFlags extends IdentityFlags {
  credentialsProfile?: string;
  once?: boolean;
}

export async function runRolesAnywhereUpdate(
  flags: UpdateFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const fresh = new FreshCredentials(await openSessionSource(await specFromFlags(flags, env), env));
  const path = configFilePaths({ env }).credentialsFile;
  const profile = flags.credentialsProfile ?? "default";
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  while (!abort.signal.aborted) {
    const { credentials } = await fresh.get();
    await writeProfileKeys(path, profile, credentials);
    process.stderr.write(
      `tobira: [${profile}] in ${path} holds credentials until ${credentials.expiration}\n`,
    );
    if (flags.once) return;
    await sleep(fresh.refreshDelay(), undefined, { signal: abort.signal }).catch(() => undefined);
  }
}
