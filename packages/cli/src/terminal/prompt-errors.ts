// Errors of asking the user something on the terminal: no terminal at all, Ctrl-C, Ctrl-D.
import { TobiraError } from "../errors.js";

/** There is no terminal to ask on (no controlling terminal, and stdin/stderr are not terminals either). */
export class NoTerminalError extends TobiraError {
  override name = "NoTerminalError";
}

/** The user pressed Ctrl-C at a prompt. Exit code 130, as a shell reports a process ended by SIGINT. */
export class PromptInterruptedError extends TobiraError {
  override name = "PromptInterruptedError";
  constructor(what: string) {
    super(`cancelled while asking for ${what} (Ctrl-C)`, { exitCode: 130 });
  }
}

/** The user pressed Ctrl-D on an empty line, or the terminal went away, before answering. */
export class PromptEndedError extends TobiraError {
  override name = "PromptEndedError";
  constructor(what: string) {
    super(`no answer when asking for ${what}: the input ended (Ctrl-D or terminal closed)`, {
      hint: "run the command again and type the answer, then press Enter",
    });
  }
}
