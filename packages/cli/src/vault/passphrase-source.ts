// Where the vault passphrase comes from: TOBIRA_VAULT_PASSPHRASE, TOBIRA_VAULT_PASSPHRASE_FILE, or the terminal.
import { readFile } from "node:fs/promises";
import { warnIfSecretFileShared } from "../files/secret-file-mode.js";
import { requireTerminal } from "../terminal/index.js";
import { VaultPassphraseUnavailableError } from "./vault-errors.js";

export interface PassphraseSource {
  /** True when asking again after a wrong passphrase makes sense (a person is typing). */
  readonly interactive: boolean;
  /** The passphrase to open the vault at `location`; `creating` asks twice on a terminal. */
  obtain(location: string, purpose: "unlock" | "create"): Promise<string>;
}

function refuseEmpty(passphrase: string, from: string): string {
  if (passphrase === "") {
    throw new VaultPassphraseUnavailableError(`the vault passphrase from ${from} is empty`, {
      hint: "an empty passphrase protects nothing; set a real one",
    });
  }
  return passphrase;
}

/** A fixed passphrase (tests, and callers that already hold one). */
export function fixedPassphrase(passphrase: string): PassphraseSource {
  return { interactive: false, obtain: async () => refuseEmpty(passphrase, "the caller") };
}

/** Reads the passphrase file anew each time; one trailing newline (as editors and `echo` leave) is dropped. */
function passphraseFromFile(path: string): PassphraseSource {
  return {
    interactive: false,
    async obtain() {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (error) {
        throw new VaultPassphraseUnavailableError(
          `cannot read TOBIRA_VAULT_PASSPHRASE_FILE ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
          {
            hint: "point TOBIRA_VAULT_PASSPHRASE_FILE at a readable file (mode 0600) holding the passphrase",
          },
        );
      }
      warnIfSecretFileShared(path, "TOBIRA_VAULT_PASSPHRASE_FILE");
      return refuseEmpty(text.replace(/\r?\n$/, ""), "TOBIRA_VAULT_PASSPHRASE_FILE");
    },
  };
}

const WHEN_NO_TERMINAL =
  "set TOBIRA_VAULT_PASSPHRASE_FILE (a 0600 file holding it) or TOBIRA_VAULT_PASSPHRASE";

const terminalPassphrase: PassphraseSource = {
  interactive: true,
  async obtain(location, purpose) {
    const terminal = requireTerminal("the vault passphrase", WHEN_NO_TERMINAL);
    const ask = (question: string) => terminal.ask(question, { what: "the vault passphrase", echo: false });
    try {
      if (purpose === "unlock") {
        return refuseEmpty(await ask(`Passphrase for the tobira vault ${location}: `), "the terminal");
      }
      const first = refuseEmpty(
        await ask(`New passphrase for the tobira vault ${location}: `),
        "the terminal",
      );
      const second = await ask("Type it again: ");
      if (first !== second) {
        throw new VaultPassphraseUnavailableError("the two passphrases differ; nothing was written", {
          hint: "run the command again and type the same passphrase twice",
        });
      }
      return first;
    } finally {
      terminal.close();
    }
  },
};

/** The passphrase source the environment asks for: the variable, then the file, then the terminal. */
export function passphraseFromEnvironment(env: NodeJS.ProcessEnv): PassphraseSource {
  const direct = env.TOBIRA_VAULT_PASSPHRASE;
  if (direct !== undefined && direct !== "") {
    return { interactive: false, obtain: async () => direct };
  }
  const file = env.TOBIRA_VAULT_PASSPHRASE_FILE;
  if (file !== undefined && file !== "") return passphraseFromFile(file);
  return terminalPassphrase;
}
