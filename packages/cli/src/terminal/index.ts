// The terminal primitives other parts reuse: prompts through /dev/tty (MFA codes, vault passphrases, keys).
export { LineInput, type LineOutcome, type LineStep } from "./line-input.js";
export { NoTerminalError, PromptEndedError, PromptInterruptedError } from "./prompt-errors.js";
export {
  type AskOptions,
  askOnTerminal,
  CONTROLLING_TERMINAL,
  openTerminal,
  requireTerminal,
  type Terminal,
  type TerminalOpenOptions,
  writeNotice,
} from "./tty-prompt.js";
