// What `tobira export PROFILE` does: resolve the profile and print its variables in the chosen format.

import {
  credentialsForProfile,
  type ProfileCredentialOptions,
} from "../../credentials/profile-credentials.js";
import { UsageError } from "../../errors.js";
import { credentialVariables } from "../environment/child-environment.js";
import { EXPORT_FORMATS, formatExport, isExportFormat } from "./export-format.js";

export async function runExport(
  profile: string,
  format: string,
  options: ProfileCredentialOptions,
): Promise<void> {
  if (!isExportFormat(format)) {
    throw new UsageError(`unknown export format '${format}'`, {
      hint: `choose one of: ${EXPORT_FORMATS.join(", ")}`,
    });
  }
  const result = await credentialsForProfile(profile, options);
  const variables = credentialVariables({
    credentials: result.credentials,
    ...(result.region === undefined ? {} : { region: result.region }),
    ...(result.endpointUrl === undefined ? {} : { endpointUrl: result.endpointUrl }),
  });
  process.stdout.write(formatExport(format, variables));
}
