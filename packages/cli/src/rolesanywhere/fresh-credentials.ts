// The current Roles Anywhere credentials of a long-running serve or update: fetched at start, fetched again
// five minutes before they expire (as the helper and the SDKs do), and kept when a refresh fails while
// they still hold.

import type { RolesAnywhereSession } from "../credentials/rolesanywhere/create-session.js";
import type { SessionSource } from "../credentials/rolesanywhere/session-source.js";
import { REFRESH_AHEAD_MS } from "../outputs/serve/refresh-timing.js";

export class FreshCredentials {
  private current: RolesAnywhereSession | undefined;
  private fetchedAt = 0;
  private pending: Promise<RolesAnywhereSession> | undefined;

  constructor(
    private readonly source: SessionSource,
    private readonly now: () => number = Date.now,
  ) {}

  get roleName(): string {
    return this.source.roleName;
  }

  /** When the credentials in hand were fetched (IMDS's LastUpdated). */
  get lastUpdated(): number {
    return this.fetchedAt;
  }

  /** The credentials in hand, fetched anew when they are within five minutes of expiry. */
  async get(): Promise<RolesAnywhereSession> {
    const current = this.current;
    if (current && Date.parse(current.credentials.expiration) - REFRESH_AHEAD_MS > this.now()) return current;
    this.pending ??= this.source.fetch().finally(() => {
      this.pending = undefined;
    });
    try {
      const next = await this.pending;
      this.current = next;
      this.fetchedAt = this.now();
      return next;
    } catch (error) {
      if (current && Date.parse(current.credentials.expiration) > this.now()) return current;
      throw error;
    }
  }

  /** Milliseconds until the credentials in hand should be renewed. */
  refreshDelay(): number {
    if (!this.current) return 0;
    return Math.max(0, Date.parse(this.current.credentials.expiration) - REFRESH_AHEAD_MS - this.now());
  }
}
