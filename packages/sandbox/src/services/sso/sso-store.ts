// What the sandbox's IAM Identity Center remembers: registered OIDC clients, device authorizations waiting for
// a user, and the access and refresh tokens it issued. Kept in state.json (a service record), so a restart
// keeps every login, as AWS does.

import { createHash, randomBytes } from "node:crypto";
import type { SandboxState } from "../../state/sandbox-state.js";

export const SSO_RECORD = "sso";

/** AWS registers public OIDC clients for 90 days. */
export const CLIENT_LIFETIME_SECONDS = 90 * 24 * 3600;
/** AWS's device authorizations last 10 minutes and ask clients to poll every second. */
export const DEVICE_CODE_SECONDS = 600;
export const POLL_INTERVAL_SECONDS = 1;
/** A refresh token outlives its access tokens; AWS's last up to 90 days. */
export const REFRESH_TOKEN_SECONDS = 90 * 24 * 3600;

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  clientName: string;
  scopes: string[];
  /** Seconds since the epoch, as RegisterClient answers. */
  issuedAt: number;
  expiresAt: number;
}

export interface DeviceGrant {
  deviceCode: string;
  userCode: string;
  clientId: string;
  startUrl: string;
  expiresAtMs: number;
  intervalSeconds: number;
  lastPollMs?: number | undefined;
  status: "pending" | "approved" | "denied" | "redeemed";
  userName?: string | undefined;
}

export interface SsoToken {
  accessToken: string;
  refreshToken?: string | undefined;
  clientId: string;
  userName: string;
  startUrl: string;
  /** One sign-in: the device approval and every token refreshed from it; Logout ends all of them. */
  signInId: string;
  expiresAtMs: number;
  refreshExpiresAtMs: number;
  revoked: boolean;
}

/** A user signed in on the device page: the SHA-256 of its cookie (never the cookie itself). */
export interface PageSignIn {
  cookieHash: string;
  userName: string;
  expiresAtMs: number;
}

/** A sign-in on the device page lasts an hour, as long as a few device codes. */
export const PAGE_SIGN_IN_SECONDS = 3600;

interface SsoRecord {
  clients: OidcClient[];
  grants: DeviceGrant[];
  tokens: SsoToken[];
  /** Absent in state written before the page had a sign-in. */
  pageSignIns?: PageSignIn[];
}

/** Records are dropped a day after nothing in them can be used any more. */
const RETENTION_MS = 24 * 3600 * 1000;

function hashOf(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

// AWS's user codes are two groups of four letters without vowels, easy to read out and type.
const USER_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ";

function newUserCode(): string {
  const letters = [...randomBytes(8)].map((byte) => USER_CODE_LETTERS[byte % USER_CODE_LETTERS.length]);
  return `${letters.slice(0, 4).join("")}-${letters.slice(4).join("")}`;
}

function isRecord(value: unknown): value is SsoRecord {
  const v = value as Partial<SsoRecord> | null;
  return (
    v !== null &&
    typeof v === "object" &&
    Array.isArray(v.clients) &&
    Array.isArray(v.grants) &&
    Array.isArray(v.tokens)
  );
}

export class SsoStore {
  private readonly record: SsoRecord;

  constructor(
    private readonly state: SandboxState,
    private readonly now: number,
  ) {
    const stored = state.serviceRecord(SSO_RECORD);
    this.record = isRecord(stored) ? stored : { clients: [], grants: [], tokens: [] };
  }

  addClient(client: OidcClient): void {
    this.record.clients.push(client);
    this.save();
  }

  client(clientId: string): OidcClient | undefined {
    return this.record.clients.find((c) => c.clientId === clientId);
  }

  addGrant(clientId: string, startUrl: string): DeviceGrant {
    const grant: DeviceGrant = {
      deviceCode: randomToken(48),
      userCode: newUserCode(),
      clientId,
      startUrl,
      expiresAtMs: this.now + DEVICE_CODE_SECONDS * 1000,
      intervalSeconds: POLL_INTERVAL_SECONDS,
      status: "pending",
    };
    this.record.grants.push(grant);
    this.save();
    return grant;
  }

  grantByDeviceCode(deviceCode: string): DeviceGrant | undefined {
    return this.record.grants.find((g) => g.deviceCode === deviceCode);
  }

  grantByUserCode(userCode: string): DeviceGrant | undefined {
    const wanted = userCode.trim().toUpperCase();
    return this.record.grants.find((g) => g.userCode === wanted);
  }

  addToken(token: SsoToken): void {
    this.record.tokens.push(token);
    this.save();
  }

  tokenByAccess(accessToken: string): SsoToken | undefined {
    return this.record.tokens.find((t) => t.accessToken === accessToken);
  }

  tokenByRefresh(refreshToken: string): SsoToken | undefined {
    return this.record.tokens.find((t) => t.refreshToken !== undefined && t.refreshToken === refreshToken);
  }

  /** Signs `userName` in on the device page; resolves the cookie value the browser is to keep. */
  addPageSignIn(userName: string): string {
    const cookie = randomToken(32);
    const signIns = this.record.pageSignIns ?? [];
    signIns.push({
      cookieHash: hashOf(cookie),
      userName,
      expiresAtMs: this.now + PAGE_SIGN_IN_SECONDS * 1000,
    });
    this.record.pageSignIns = signIns;
    this.save();
    return cookie;
  }

  /** The user a device page cookie signs in, while the sign-in lasts. */
  pageSignIn(cookie: string): PageSignIn | undefined {
    const wanted = hashOf(cookie);
    return this.record.pageSignIns?.find((p) => p.cookieHash === wanted && p.expiresAtMs > this.now);
  }

  /** Ends a sign-in: every access and refresh token of it stops working. */
  revokeSignIn(signInId: string): void {
    for (const token of this.record.tokens) if (token.signInId === signInId) token.revoked = true;
    this.save();
  }

  /** Saves the records after an in-place change (a poll time, a status). */
  save(): void {
    const keep = this.now - RETENTION_MS;
    this.record.clients = this.record.clients.filter((c) => c.expiresAt * 1000 > keep);
    this.record.grants = this.record.grants.filter((g) => g.expiresAtMs > keep);
    this.record.tokens = this.record.tokens.filter(
      (t) => Math.max(t.expiresAtMs, t.refreshExpiresAtMs) > keep,
    );
    if (this.record.pageSignIns)
      this.record.pageSignIns = this.record.pageSignIns.filter((p) => p.expiresAtMs > this.now);
    this.state.setServiceRecord(SSO_RECORD, this.record);
  }
}
