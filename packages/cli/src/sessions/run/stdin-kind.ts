// What the local stdin holds for `tobira run`, told before the session opens: AWS-StartNonInteractiveCommand
// gives the remote command no input (the SSM agent reads only Ctrl-C and its kin from the data channel, §7.1),
// so piped input must either go through a terminal session (`--tty`) or be refused — never dropped quietly.
import { fstatSync, statSync } from "node:fs";
import { isatty } from "node:tty";
import { isPipeOrSocket, pipeHoldsInput } from "./pipe-probe.js";

/**
 * `none`: nothing to carry (a terminal, whose keys become signals; /dev/null; an empty file; no stdin at all).
 * `input`: a pipe, a socket, a non-empty file or another device: bytes a command would read.
 */
export type StdinKind = "terminal" | "none" | "input";

/** What `fd` (default 0) is; only looks, never reads. */
export function stdinKind(fd = 0): StdinKind {
  let stats: ReturnType<typeof fstatSync>;
  try {
    stats = fstatSync(fd);
  } catch {
    return "none"; // closed: nothing to read
  }
  if (stats.isFIFO() || stats.isSocket()) return "input";
  if (stats.isFile()) return stats.size > 0 ? "input" : "none";
  if (stats.isCharacterDevice()) {
    if (isNullDevice(stats.rdev)) return "none";
    return isatty(fd) ? "terminal" : "input";
  }
  return "input";
}

function isNullDevice(rdev: number): boolean {
  try {
    return statSync("/dev/null").rdev === rdev;
  } catch {
    return false;
  }
}

/**
 * The kind `tobira run` decides on: as stdinKind, except that a pipe or socket which ends empty within a
 * moment is no input (see pipe-probe.ts). --tty and -n read nothing here: they decide without looking.
 */
export async function stdinKindForRun(flags: {
  tty?: boolean | undefined;
  ignoreStdin?: boolean | undefined;
}): Promise<StdinKind> {
  const kind = stdinKind();
  if (kind !== "input" || flags.tty || flags.ignoreStdin || !isPipeOrSocket()) return kind;
  return (await pipeHoldsInput()) ? "input" : "none";
}
