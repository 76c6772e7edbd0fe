// The registry of MFA prompt drivers: one line per driver, each built from the profile and the environment.
import type { TerminalOpenOptions } from "../terminal/index.js";
import { createCommandDriver, findMfaProcess, type MfaProcessKey } from "./command-driver.js";
import type { MfaDriver } from "./request.js";
import { createTerminalDriver } from "./terminal-driver.js";
import { createYkmanDriver } from "./ykman-driver.js";

/** The profile keys MFA reads. A raw INI section (Record<string, string>) fits as it is. */
export type MfaProfileSettings = Readonly<
  Partial<Record<MfaProcessKey | "tobira_mfa_prompt" | "tobira_ykman_account", string>>
>;

export interface MfaDriverContext {
  profileSettings: MfaProfileSettings;
  env: NodeJS.ProcessEnv;
  /** Where the terminal driver looks for a terminal (tests; the controlling terminal by default). */
  terminal?: TerminalOpenOptions | undefined;
}

const mfaDriverFactories = {
  terminal: (context: MfaDriverContext) => createTerminalDriver({ terminal: context.terminal }),
  ykman: (context: MfaDriverContext) =>
    createYkmanDriver({
      account: context.profileSettings.tobira_ykman_account?.trim() || undefined,
      env: context.env,
    }),
  command: (context: MfaDriverContext) =>
    createCommandDriver({ process: findMfaProcess(context.profileSettings), env: context.env }),
} satisfies Record<string, (context: MfaDriverContext) => MfaDriver>;

export type MfaPromptName = keyof typeof mfaDriverFactories;

export const MFA_PROMPT_NAMES = Object.keys(mfaDriverFactories) as MfaPromptName[];

export function isMfaPromptName(name: string): name is MfaPromptName {
  return Object.hasOwn(mfaDriverFactories, name);
}

export function createMfaDriver(name: MfaPromptName, context: MfaDriverContext): MfaDriver {
  return mfaDriverFactories[name](context);
}
