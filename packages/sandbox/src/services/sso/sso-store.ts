// What the sandbox's IAM Identity Center remembers: registered OIDC clients, device authorizations waiting for
// a user, and the access and refresh tokens it issued. Kept in state.json (a service record), so a restart
// keeps every login, as AWS does.

import { randomBytes } from "node:crypto";
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

interface SsoRecord {
  clients: OidcClient[];
  grants: DeviceGrant[];
  tokens: SsoToken[];
}

/** Records are dropped a day after nothing in them can be used any more. */
const RETENTION_MS = 24 * 3600 * 1000;

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
    this.state.setServiceRecord(SSO_RECORD, this.record);
  }
}
