// `tobira rolesanywhere credential-process`: the role's credentials as credential_process Version 1 JSON, from
// the session cache while they hold, else from one CreateSession (--no-cache: always one, nothing stored).

import { cachedRolesAnywhereCredentials } from "../credentials/rolesanywhere/cached-session.js";
import { credentialProcessJson } from "../outputs/credential-process/version1-json.js";
import type { IdentityFlags } from "./identity-flags.js";
import { specFromFlags } from "./spec-from-flags.js";

export async function runRolesAnywhereCredentialProcess(
  flags: IdentityFlags & { cache?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const { credentials } = await cachedRolesAnywhereCredentials(await specFromFlags(flags, env), env, {
    profile: flags.profile ?? "(command line)",
    noCache: flags.cache === false,
  });
  process.stdout.write(credentialProcessJson(credentials));
}
