// `tobira rolesanywhere credential-process`: one CreateSession, printed as credential_process Version 1 JSON.

import { fetchCredentials } from "../credentials/rolesanywhere/session-source.js";
import { credentialProcessJson } from "../outputs/credential-process/version1-json.js";
import type { IdentityFlags } from "./identity-flags.js";
import { specFromFlags } from "./spec-from-flags.js";

export async function runRolesAnywhereCredentialProcess(
  flags: IdentityFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const credentials = await fetchCredentials(await specFromFlags(flags, env), env);
  process.stdout.write(credentialProcessJson(credentials));
}
