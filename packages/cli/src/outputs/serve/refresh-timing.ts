// When the credential server fetches again (pure): five minutes before expiry, the moment the session cache
// itself considers the credentials stale, so the fetch renews them; after a failure, soon and then less often.

/** As the session cache's REFRESH_MARGIN_MS and the SDKs' own refresh window: 5 minutes before expiry. */
export const REFRESH_AHEAD_MS = 5 * 60 * 1000;
/** After a failed refresh: 15 s, doubling up to 2 minutes, while the current credentials still hold. */
export const RETRY_FIRST_MS = 15 * 1000;
export const RETRY_MAX_MS = 2 * 60 * 1000;

/** Milliseconds until the refresh of credentials expiring at `expiresAt` (never negative). */
export function refreshDelay(expiresAt: number, now: number): number {
  return Math.max(0, expiresAt - REFRESH_AHEAD_MS - now);
}

/** Milliseconds until retry number `failures` (1 = the first retry) after a failed refresh. */
export function retryDelay(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.max(0, failures - 1));
}
