// Cross-process lock per cache step: proper-lockfile's atomic mkdir, kept fresh while held, taken over when stale.
// A holder refreshes the lock's mtime every few seconds, so a lock held through a long MFA prompt stays valid;
// a holder killed with -9 stops refreshing and the lock is taken over once it is STALE_MS old.
import { CredentialLockTimeoutError } from "./errors.js";
import type { CacheLock } from "./ports.js";

const STALE_MS = 20_000;
/** Long enough for a person to find their phone or touch a key, short enough not to hang a script forever. */
const GIVE_UP_MS = 10 * 60_000;

export class FileCacheLock implements CacheLock {
  constructor(
    private readonly lockPath: (name: string) => Promise<string>,
    private readonly giveUpMs = GIVE_UP_MS,
  ) {}

  async withLock<T>(name: string, onWait: () => void, run: () => Promise<T>): Promise<T> {
    const { default: lockfile } = await import("proper-lockfile");
    const path = await this.lockPath(name);
    const deadline = Date.now() + this.giveUpMs;
    let release: (() => Promise<void>) | undefined;
    let warned = false;
    while (!release) {
      try {
        release = await lockfile.lock(path, {
          lockfilePath: path,
          realpath: false,
          stale: STALE_MS,
          retries: 0,
          // Losing the lock (the machine slept past STALE_MS) only risks a second prompt; never crash for it.
          onCompromised: () => undefined,
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
        if (!warned) {
          warned = true;
          onWait();
        }
        if (Date.now() > deadline) {
          throw new CredentialLockTimeoutError(
            "another tobira process has been getting these credentials for too long",
            {
              hint: `if no tobira process is running, delete ${path} and try again`,
            },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 40 + Math.random() * 80));
      }
    }
    try {
      return await run();
    } finally {
      await release().catch(() => undefined);
    }
  }
}
