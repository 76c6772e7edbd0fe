// How `tobira run` carries the local stdin, decided before any credential or session: the default document
// (AWS-StartNonInteractiveCommand) keeps stdout, stderr and the exit status apart but gives the command no
// input, so input there is refused; `--tty` runs it in a terminal (AWS-StartInteractiveCommand), which does
// take input, typed as at a keyboard; `-n` says there is none to give.
import { UsageError } from "../../errors.js";
import { type StdinKind, stdinKind } from "./stdin-kind.js";

export const INTERACTIVE_DOCUMENT = "AWS-StartInteractiveCommand";

export type RunMode = "command" | "terminal";

export interface RunModeFlags {
  tty?: boolean | undefined;
  /** -n: run without stdin, whatever it is. */
  ignoreStdin?: boolean | undefined;
}

/** The mode for these flags and this stdin; throws rather than drop input the mode cannot carry. */
export function runMode(flags: RunModeFlags, kind: StdinKind = stdinKind()): RunMode {
  if (flags.tty) return "terminal";
  if (kind !== "input" || flags.ignoreStdin) return "command";
  throw new UsageError(
    "stdin holds input, but a command run through AWS-StartNonInteractiveCommand gets none: the SSM agent reads only Ctrl-C and the like from the session",
    {
      hint: "add --tty to type it into a terminal session (AWS-StartInteractiveCommand: text, echoed, stderr joins stdout, no exit status), or -n (or </dev/null) to run without it",
    },
  );
}
