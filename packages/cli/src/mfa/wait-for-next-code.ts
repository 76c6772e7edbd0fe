// Waits, for drivers that make codes themselves, until a code different from an already used one exists.
import { writeNotice } from "../terminal/index.js";
import type { MfaRequest } from "./request.js";

export interface CodeClock {
  /** Epoch milliseconds; Date.now by default. */
  now?: () => number;
  /** Waits the given milliseconds; a real timer by default (tests pass their own and record the wait). */
  sleep?: (ms: number) => Promise<void>;
  /** Tells the user something on the terminal (stderr when there is none). */
  notice?: (text: string) => void;
}

export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A YubiKey or a command asked within the same 30 s step returns the same, already refused code: wait first. */
export async function waitForNextCode(request: MfaRequest, clock: CodeClock, source: string): Promise<void> {
  if (request.notBefore === undefined) return;
  const waitMs = request.notBefore - (clock.now ?? Date.now)();
  if (waitMs <= 0) return;
  (clock.notice ?? writeNotice)(`waiting ${Math.ceil(waitMs / 1000)} s for the next code from ${source}…\n`);
  await (clock.sleep ?? realSleep)(waitMs);
}
