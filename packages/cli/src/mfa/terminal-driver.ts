// The `terminal` MFA driver: asks the person at the terminal for the code their device shows.
import { requireTerminal, type TerminalOpenOptions } from "../terminal/index.js";
import { describeRetry, isMfaCode, type MfaDriver, type MfaRequest } from "./request.js";

/** What to do when no terminal exists; part of the error "no terminal to ask for the MFA code: …". */
export const MFA_NO_TERMINAL_ADVICE = "set mfa_process or tobira_mfa_process, or pass --mfa-code";

export interface TerminalDriverOptions {
  /** Where to find the terminal; the controlling terminal by default (tests and Windows may differ). */
  terminal?: TerminalOpenOptions | undefined;
}

export function createTerminalDriver(options: TerminalDriverOptions = {}): MfaDriver {
  return {
    name: "terminal",
    async getCode(request: MfaRequest): Promise<string> {
      const terminal = requireTerminal("the MFA code", MFA_NO_TERMINAL_ADVICE, options.terminal);
      try {
        const retry = describeRetry(request);
        if (retry) terminal.write(retry);
        // Name both the device and the profile: with several accounts a bare "MFA code:" is a guess.
        const question = `MFA code for ${request.serial} (profile ${request.profile}): `;
        for (;;) {
          // People paste "123 456" from apps that group digits; spaces carry no meaning.
          const answer = (await terminal.ask(question, { what: "the MFA code" })).replace(/\s+/g, "");
          if (isMfaCode(answer)) return answer;
          // A typo is not an attempt: AWS never sees it, so it costs nothing to ask again.
          terminal.write("an MFA code is the 6 digits your device shows; try again (Ctrl-C to cancel)\n");
        }
      } finally {
        terminal.close();
      }
    },
  };
}
