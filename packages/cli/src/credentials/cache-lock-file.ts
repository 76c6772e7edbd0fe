// The session cache's CacheLock: one cross-process lock per cache step (files/cross-process-lock.ts), waited
// for as long as a person may take to type an MFA code.
import { withCrossProcessLock } from "../files/cross-process-lock.js";
import { CredentialLockTimeoutError } from "./errors.js";
import type { CacheLock } from "./ports.js";

/** A holder refreshes its lock every few seconds; one this old belongs to a process that died. */
const STALE_MS = 20_000;
/** Long enough for a person to find their phone or touch a key, short enough not to hang a script forever. */
const GIVE_UP_MS = 10 * 60_000;

export class FileCacheLock implements CacheLock {
  constructor(
    private readonly lockPath: (name: string) => Promise<string>,
    private readonly giveUpMs = GIVE_UP_MS,
  ) {}

  async withLock<T>(name: string, onWait: () => void, run: () => Promise<T>): Promise<T> {
    const path = await this.lockPath(name);
    const onGiveUp = () =>
      new CredentialLockTimeoutError(
        "another tobira process has been getting these credentials for too long",
        {
          hint: `if no tobira process is running, delete ${path} and try again`,
        },
      );
    // Losing the lock (the machine slept past STALE_MS) only risks a second prompt; the poll wait ignores it.
    return withCrossProcessLock(
      path,
      { staleMs: STALE_MS, wait: { kind: "poll", giveUpMs: this.giveUpMs, onWait, onGiveUp } },
      () => run(),
    );
  }
}
