// One cross-process lock per IAM Identity Center token (files/cross-process-lock.ts), next to its cache file:
// a login holds it while the user approves in the browser, a refresh while it trades the refresh token. Other
// tobira commands wait on it, then read the token the holder wrote: concurrent commands make one login and
// one refresh, never many.
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { TobiraError } from "../errors.js";
import { withCrossProcessLock } from "../files/cross-process-lock.js";
import { type SsoTokenKey, ssoCachePath } from "./token-cache.js";

/** A holder refreshes its lock every few seconds; one this old belongs to a process that died. */
const STALE_MS = 20_000;
/** A device code lasts 10 minutes; a waiter gives up a little after that. */
const GIVE_UP_MS = 11 * 60_000;

export function withSsoLock<T>(
  key: SsoTokenKey,
  env: NodeJS.ProcessEnv,
  onWait: () => void,
  work: () => Promise<T>,
): Promise<T> {
  return withSsoLockAt(ssoCachePath(key, env), onWait, work);
}

/** The same lock, named by the cache file's path: logout sweeps files whose session it may not know. */
export async function withSsoLockAt<T>(
  cacheFile: string,
  onWait: () => void,
  work: () => Promise<T>,
): Promise<T> {
  await mkdir(dirname(cacheFile), { recursive: true, mode: 0o700 });
  const path = `${cacheFile}.tobira-lock`;
  const onGiveUp = () =>
    new TobiraError("another tobira process has been signing in to IAM Identity Center for too long", {
      hint: `if no tobira process is running, delete ${path} and try again`,
    });
  return withCrossProcessLock(
    path,
    { staleMs: STALE_MS, wait: { kind: "poll", giveUpMs: GIVE_UP_MS, onWait, onGiveUp } },
    () => work(),
  );
}
