// The one cross-process lock of tobira: a folder made atomically by mkdir (proper-lockfile), kept fresh by its
// holder, and taken over once it is stale. The vault and the session cache both lock through here, so how a lock
// is made, refreshed and judged dead is decided in this file alone.
//
// A holder refreshes the folder's mtime every few seconds, so a lock held through a long MFA prompt stays
// valid; a holder killed with -9 stops refreshing and its lock is taken over once it is `staleMs` old.
// proper-lockfile is loaded on first use: the credential-process fast path never takes a lock.

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
  const lockOnce = (retries: NonNullable<Parameters<typeof lockfile.lock>[1]>["retries"]) =>
    lockfile.lock(lockPath, {
      lockfilePath: lockPath,
      realpath: false,
      stale: options.staleMs,
      retries,
      onCompromised: (error) => {
        if (options.wait.kind === "backoff") compromised = error;
      },
    });
  const release =
    options.wait.kind === "poll"
      ? await pollForLock(() => lockOnce(0), options.wait)
      : await lockOnce(BACKOFF).catch((error: unknown) => {
          throw (options.wait as Extract<LockWait, { kind: "backoff" }>).onBusy(error);
        });
  const assertHeld = () => {
    if (compromised && options.wait.kind === "backoff") throw options.wait.onBusy(compromised);
  };
  try {
    return await work(assertHeld);
  } finally {
    await release().catch(() => undefined);
  }
}

/** About half a minute of tries in all. */
const BACKOFF = { retries: 120, factor: 1.2, minTimeout: 10, maxTimeout: 250, randomize: true };

async function pollForLock(
  tryLock: () => Promise<() => Promise<void>>,
  wait: Extract<LockWait, { kind: "poll" }>,
): Promise<() => Promise<void>> {
  const deadline = Date.now() + wait.giveUpMs;
  let warned = false;
  for (;;) {
    try {
      return await tryLock();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
      if (!warned) {
        warned = true;
        wait.onWait();
      }
      if (Date.now() > deadline) throw wait.onGiveUp();
      await new Promise((resolve) => setTimeout(resolve, 40 + Math.random() * 80));
    }
  }
}
