// The one cross-process lock of tobira: a folder made atomically by mkdir (proper-lockfile), kept fresh by its
// holder, and taken over once its holder is dead. The vault and the session cache both lock through here, so how
// a lock is made, refreshed and judged dead is decided in this file (and lock-owner.ts) alone.
//
// The folder is 0700 whatever the umask and names its holder (pid, start time, host: lock-owner.ts). A holder
// killed with -9 on this host is seen dead at once and its lock taken over; otherwise the folder's age decides:
// a holder refreshes its mtime every few seconds, so a lock held through a long MFA prompt stays valid, and one
// not refreshed for `staleMs` is taken over. proper-lockfile is loaded on first use: the credential-process fast
// path never takes a lock.
import { ownedLockFs, removeDeadHolderLock } from "./lock-owner.js";

/** How a caller waits for a lock someone else holds. */
export type LockWait =
  /**
   * Try again every 40–120 ms until `giveUpMs` have passed (the session cache: a holder may be waiting on a
   * person's MFA code). `onWait` runs once, when the lock is first found taken; `onGiveUp` makes the error.
   */
  | { kind: "poll"; giveUpMs: number; onWait: () => void; onGiveUp: () => Error }
  /** Back off for about half a minute, then fail with `onBusy`'s error (the vault: writes take milliseconds). */
  | { kind: "backoff"; onBusy: (cause: unknown) => Error };

export interface LockOptions {
  /** A lock not refreshed for this long belongs to a dead process and is taken over. */
  staleMs: number;
  wait: LockWait;
}

/**
 * Runs `work` while holding the lock folder `lockPath`. `work` may call `assertHeld()` right before it commits
 * (renames): if another process judged the lock stale meanwhile, that throws instead of overwriting the other's
 * write. With `poll`, losing the lock is ignored (it only risks a second prompt), so `assertHeld` never throws.
 */
export async function withCrossProcessLock<T>(
  lockPath: string,
  options: LockOptions,
  work: (assertHeld: () => void) => Promise<T>,
): Promise<T> {
  const { default: lockfile } = await import("proper-lockfile");
  let compromised: Error | undefined;
  const tryLock = () =>
    lockfile.lock(lockPath, {
      lockfilePath: lockPath,
      realpath: false,
      stale: options.staleMs,
      retries: 0,
      fs: ownedLockFs(),
      onCompromised: (error) => {
        if (options.wait.kind === "backoff") compromised = error;
      },
    });
  const release = await acquire(tryLock, lockPath, options.wait);
  const assertHeld = () => {
    if (compromised && options.wait.kind === "backoff") throw options.wait.onBusy(compromised);
  };
  try {
    return await work(assertHeld);
  } finally {
    await release().catch(() => undefined);
  }
}

/** About half a minute of tries in all (the vault's backoff). */
const BACKOFF = { retries: 120, factor: 1.2, minTimeout: 10, maxTimeout: 250 };

function backoffDelay(attempt: number): number {
  return Math.min(BACKOFF.maxTimeout, BACKOFF.minTimeout * BACKOFF.factor ** attempt) * (1 + Math.random());
}

/** Tries until the lock is ours: a dead holder's lock is removed and tried again at once, else `wait` says how. */
async function acquire(
  tryLock: () => Promise<() => Promise<void>>,
  lockPath: string,
  wait: LockWait,
): Promise<() => Promise<void>> {
  const deadline = wait.kind === "poll" ? Date.now() + wait.giveUpMs : 0;
  let attempts = 0;
  let warned = false;
  for (;;) {
    try {
      return await tryLock();
    } catch (error) {
      const busy = (error as NodeJS.ErrnoException).code === "ELOCKED";
      if (!busy) throw wait.kind === "backoff" ? wait.onBusy(error) : error;
      if (removeDeadHolderLock(lockPath)) continue;
      attempts += 1;
      if (wait.kind === "backoff") {
        if (attempts > BACKOFF.retries) throw wait.onBusy(error);
        await pause(backoffDelay(attempts));
        continue;
      }
      if (!warned) {
        warned = true;
        wait.onWait();
      }
      if (Date.now() > deadline) throw wait.onGiveUp();
      await pause(40 + Math.random() * 80);
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
