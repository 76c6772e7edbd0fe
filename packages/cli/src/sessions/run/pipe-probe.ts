// A pipe or socket on stdin may hold nothing at all: scripts and runners (Node's spawn, CI systems) often hand
// a child a pipe they end at once. Refusing those would break every script that never meant to give input,
// so before refusing, `tobira run` waits briefly for the pipe's first byte or its end. Only a pipe that ends
// empty counts as no input; a byte, or a writer still silent when the wait is over, is input the
// non-interactive document cannot carry, and is refused as before — never dropped.
import { fstatSync } from "node:fs";

/** How long an open, silent pipe is given to end before it counts as input. */
export const PIPE_PROBE_MS = 250;

/** Whether `fd` is a pipe or a socket (the kinds whose content can only be learned by reading). */
export function isPipeOrSocket(fd = 0): boolean {
  try {
    const stats = fstatSync(fd);
    return stats.isFIFO() || stats.isSocket();
  } catch {
    return false;
  }
}

/** True when stdin (a pipe or socket) gives a byte or stays open for `ms`; false when it ends empty. */
export function pipeHoldsInput(
  stdin: NodeJS.ReadableStream = process.stdin,
  ms = PIPE_PROBE_MS,
): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (holds: boolean): void => {
      clearTimeout(timer);
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.pause();
      // Nothing more is read from it: a refused run exits, an empty pipe has ended.
      (stdin as { destroy?: () => void }).destroy?.();
      resolve(holds);
    };
    const onData = (): void => finish(true);
    const onEnd = (): void => finish(false);
    const timer = setTimeout(() => finish(true), ms);
    stdin.on("data", onData);
    stdin.on("end", onEnd);
  });
}
