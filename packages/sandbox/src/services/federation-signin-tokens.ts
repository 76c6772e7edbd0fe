// The sign-in tokens the federation endpoint hands out: random, good for one login, and for 15 minutes.
// Kept in memory per sandbox: a token outlives no restart, as nobody should keep one longer than a login.

import { randomBytes } from "node:crypto";

/** AWS's sign-in tokens are valid for 15 minutes after getSigninToken returns them. */
export const SIGNIN_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

/** Who a sign-in token lets into the console, as the login page shows it. */
export interface ConsoleSession {
  principalArn: string;
  account: string;
  /** The access key id of the temporary credentials the token was made from (never their secret). */
  accessKeyId: string;
  mfa: boolean;
  /** When the console session would end. */
  consoleSessionEnds: number;
}

export type RedeemResult =
  | { ok: true; session: ConsoleSession }
  | { ok: false; reason: "unknown" | "used" | "expired" };

interface Entry {
  session: ConsoleSession;
  expiresAt: number;
  used: boolean;
}

export class SigninTokenStore {
  private readonly entries = new Map<string, Entry>();

  /** A fresh token: 48 random bytes, base64url, so it cannot be guessed or forged. */
  issue(session: ConsoleSession, now: number): string {
    this.forgetOld(now);
    const token = randomBytes(48).toString("base64url");
    this.entries.set(token, { session, expiresAt: now + SIGNIN_TOKEN_LIFETIME_MS, used: false });
    return token;
  }

  /** Takes a token for one login: the first redeem succeeds, any later one is refused. */
  redeem(token: string, now: number): RedeemResult {
    const entry = this.entries.get(token);
    if (!entry) return { ok: false, reason: "unknown" };
    if (entry.used) return { ok: false, reason: "used" };
    if (now >= entry.expiresAt) return { ok: false, reason: "expired" };
    entry.used = true;
    return { ok: true, session: entry.session };
  }

  /** Used and expired tokens are kept a while longer so a second try is told "used" rather than "unknown". */
  private forgetOld(now: number): void {
    for (const [token, entry] of this.entries) {
      if (now >= entry.expiresAt + SIGNIN_TOKEN_LIFETIME_MS) this.entries.delete(token);
    }
  }
}
