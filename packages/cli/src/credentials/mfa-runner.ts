// The MFA runner of a resolved profile: --mfa-code, else mfa_process, else the prompt driver; a refused code is
// asked for again. Loads the MFA drivers only when a step actually needs a code.
import type { ConfigFiles, ResolvedProfile } from "../config/index.js";
import { mfaSettingsFor } from "./from-resolved-profile.js";
import type { MfaRunner } from "./ports.js";

export interface MfaFlags {
  /** --mfa-code: answers the first code asked for. */
  mfaCode?: string;
  /** --mfa-prompt: terminal | ykman | command. */
  mfaPrompt?: string;
}

export async function mfaRunnerFor(
  files: ConfigFiles,
  resolved: ResolvedProfile,
  flags: MfaFlags,
  env: NodeJS.ProcessEnv,
): Promise<MfaRunner> {
  const { createMfaSource, withMfaRetry } = await import("../mfa/index.js");
  const source = createMfaSource({
    profileSettings: mfaSettingsFor(files, resolved),
    ...(flags.mfaCode === undefined ? {} : { cliMfaCode: flags.mfaCode }),
    ...(flags.mfaPrompt === undefined ? {} : { cliPrompt: flags.mfaPrompt }),
    env,
  });
  return (need, call) => withMfaRetry(source, call, { profile: need.profile, serial: need.serial });
}
