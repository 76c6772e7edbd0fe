// A lock shared by every tobira process on the machine, around read-modify-write of the vault.
import lockfile from "proper-lockfile";
import { VaultBusyError } from "./vault-errors.js";

export interface LockOptions {
  /** A lock not refreshed for this long belongs to a dead process and is taken over (proper-lockfile's rule). */
  staleMs?: number;
}

/**
 * Runs `work` while holding the lock `${target}.lock` (a folder, created atomically by mkdir). Waits for other
 * holders with backoff for about half a minute. `work` calls `assertHeld()` right before it commits (renames):
 * if another process judged the lock stale meanwhile, that throws instead of overwriting the other's write.
 */
export async function withCrossProcessLock<T>(
  target: string,
  work: (assertHeld: () => void) => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lockPath = `${target}.lock`;
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      realpath: false,
      lockfilePath: lockPath,
      stale: options.staleMs ?? 10_000,
      retries: { retries: 120, factor: 1.2, minTimeout: 10, maxTimeout: 250, randomize: true },
      onCompromised: (error) => {
        compromised = error;
      },
    });
  } catch (error) {
    throw new VaultBusyError(lockPath, { cause: error });
  }
  const assertHeld = () => {
    if (compromised) throw new VaultBusyError(lockPath, { cause: compromised });
  };
  try {
    return await work(assertHeld);
  } finally {
    await release().catch(() => undefined);
  }
}
