// What `tobira credential-process PROFILE` does: resolve the profile, print Version 1 JSON, refuse to recurse.

import {
  credentialsForProfile,
  type ProfileCredentialOptions,
} from "../../credentials/profile-credentials.js";
import { TobiraError } from "../../errors.js";
import { credentialProcessJson } from "./version1-json.js";

/** Profiles whose credential_process is running tobira right now, outermost first (set for our children). */
export const CREDENTIAL_PROCESS_CHAIN = "TOBIRA_CREDENTIAL_PROCESS_CHAIN";

export async function runCredentialProcess(
  profile: string,
  options: ProfileCredentialOptions,
): Promise<void> {
  const env = options.env ?? process.env;
  const chain = (env[CREDENTIAL_PROCESS_CHAIN] ?? "").split("\n").filter((name) => name !== "");
  if (chain.includes(profile)) {
    throw new TobiraError(
      `credential_process for profile '${profile}' calls tobira for the same profile again`,
      {
        hint: `point credential_process at a different profile (the one with role_arn / source_profile), not at '${profile}' itself`,
      },
    );
  }
  // A profile whose own credential_process runs tobira (for another profile) inherits this, so a loop ends here.
  process.env[CREDENTIAL_PROCESS_CHAIN] = [...chain, profile].join("\n");
  const result = await credentialsForProfile(profile, options);
  process.stdout.write(credentialProcessJson(result.credentials));
}
