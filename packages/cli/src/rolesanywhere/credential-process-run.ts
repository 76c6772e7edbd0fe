// `tobira rolesanywhere credential-process`: one CreateSession, printed as credential_process Version 1 JSON.

import { credentialProcessJson } from "../outputs/credential-process/version1-json.js";
import type { IdentityFlags } from "./identity-flags.js";
import { fetchCredentials } from "./session-source.js";
import { specFromFlags } from "./spec-from-flags.js";

export async function runRolesAnywhereCredentialProcess(
  flags: IdentityFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const credentials = await fetchCredentials(specFromFlags(flags), env);
  process.stdout.write(credentialProcessJson(credentials));
}
