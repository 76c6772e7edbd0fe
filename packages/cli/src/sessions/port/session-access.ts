// A profile's access for sessions that outlive their credentials: the SSM and KMS clients on the current
// credentials, renewed through the credential core (one MFA code per working session: the cached MFA session
// re-assumes the role without a new code) before they expire by the service's clock, and on demand when the
// service says they have.
//
// The clients are the session commands' own (sessions/ssm/profile-access.ts); their EC2 client is loaded only on first
// use, so a tunnel to an instance id never pays its ~80 MB. A Name, tag or address is looked up with the
// session commands' target lookup (which loads it) only when the user typed one.
import type { AwsCredentials } from "../../credentials/ports.js";
// The credential core's margin: credentials this close to expiry are renewed.
import { REFRESH_MARGIN_MS } from "../../credentials/refresh-margin.js";
import { openProfileAccess, type ProfileAccess, type ProfileAccessOptions } from "../ssm/profile-access.js";
import type { TargetChoiceOptions } from "../ssm/target-choice.js";
import { ServiceClock } from "./service-clock.js";

/** What a port session needs of a profile: its credentials, region, and the SSM and KMS clients on them. */
export type SessionClients = ProfileAccess;

/** The target a session goes to: an id as typed, or what the lookup found for a Name, tag or address. */
export interface SessionTarget {
  id: string;
  name: string;
}

/** The codes with which AWS refuses credentials that are past their expiry. */
const EXPIRED_CODES = new Set(["ExpiredTokenException", "ExpiredToken", "RequestExpired"]);

export function isExpiredCredentialsError(error: unknown): boolean {
  const code = (error as { name?: unknown; Code?: unknown; code?: unknown } | undefined) ?? {};
  return [code.name, code.Code, code.code].some((c) => typeof c === "string" && EXPIRED_CODES.has(c));
}

export interface SessionAccessOptions extends ProfileAccessOptions {
  /** One line for the user (stderr). */
  notice?: (line: string) => void;
  /** Test seam: the machine's clock. */
  localNow?: () => number;
}

export class SessionAccess {
  readonly clock: ServiceClock;
  readonly #profile: string;
  readonly #options: SessionAccessOptions;
  #access: SessionClients;
  readonly #retired: SessionClients[] = [];
  #refreshing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** How many times the credentials were renewed (tests, diagnostics). */
  refreshes = 0;

  private constructor(
    profile: string,
    options: SessionAccessOptions,
    access: SessionClients,
    clock: ServiceClock,
  ) {
    this.#profile = profile;
    this.#options = options;
    this.clock = clock;
    this.#access = access;
    clock.watch(access.ssm);
  }

  static async open(profile: string, options: SessionAccessOptions = {}): Promise<SessionAccess> {
    const clock = new ServiceClock(options.localNow);
    const access = await openProfileAccess(profile, { ...options, now: () => clock.now() });
    return new SessionAccess(profile, options, access, clock);
  }

  get current(): SessionClients {
    return this.#access;
  }

  /**
   * i-… and mi-… ids go to StartSession as typed (it says itself when a target is offline); anything else is
   * looked up as `tobira shell` does, which loads the EC2 client for it.
   */
  async target(text: string, choice: TargetChoiceOptions = {}): Promise<SessionTarget> {
    if (/^(i|mi)-[0-9a-f]{8,17}$/.test(text)) return { id: text, name: "" };
    const { resolveTarget } = await import("../ssm/target-choice.js");
    const found = await resolveTarget(this.#access, text, choice);
    return { id: found.id, name: found.name };
  }

  get credentials(): AwsCredentials {
    return this.#access.credentials;
  }

  /** When the current credentials expire (service clock, ms), or undefined for long-term keys. */
  expiresAt(): number | undefined {
    const expiration = this.#access.credentials.expiration;
    return expiration === undefined ? undefined : new Date(expiration).getTime();
  }

  /** Within the credential core's refresh margin of expiry, by the service's clock. */
  needsRefresh(): boolean {
    const expiresAt = this.expiresAt();
    return expiresAt !== undefined && expiresAt - this.clock.now() <= REFRESH_MARGIN_MS;
  }

  /** Renews the credentials through the credential core (one call at a time); the old clients stay usable. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#renew().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Renews first when the credentials are (nearly) expired. */
  async fresh(): Promise<SessionClients> {
    if (this.needsRefresh()) await this.refresh();
    return this.#access;
  }

  /**
   * Keeps the credentials renewed ahead of expiry while the session lives; a failed renewal is said once and
   * tried again at the next reconnect.
   */
  keepFresh(): void {
    if (this.#closed) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const expiresAt = this.expiresAt();
    if (expiresAt === undefined) return;
    const delay = Math.max(1000, expiresAt - REFRESH_MARGIN_MS - this.clock.now());
    // setTimeout's limit is 2^31-1 ms; a far expiry is simply looked at again later.
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        if (!this.needsRefresh()) return this.keepFresh();
        this.refresh().then(
          () => this.keepFresh(),
          (error: unknown) => {
            this.#options.notice?.(
              `could not renew the credentials of '${this.#profile}' (${(error as Error).message}); the open tunnels keep working, a reconnect will try again`,
            );
          },
        );
      },
      Math.min(delay, 2 ** 31 - 1),
    );
    this.#timer.unref();
  }

  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#access.close();
    for (const access of this.#retired) access.close();
  }

  async #renew(): Promise<void> {
    const next = await openProfileAccess(this.#profile, { ...this.#options, now: () => this.clock.now() });
    this.clock.watch(next.ssm);
    // The SDK signs with its own skew correction; start the new clients where the old ones had got to.
    next.ssm.config.systemClockOffset = this.#access.ssm.config.systemClockOffset;
    next.kms.config.systemClockOffset = this.#access.kms.config.systemClockOffset;
    this.#retired.push(this.#access);
    this.#access = next;
    this.refreshes++;
    const expiresAt = this.expiresAt();
    this.#options.notice?.(
      `renewed the credentials of '${this.#profile}'${expiresAt === undefined ? "" : ` (valid until ${new Date(expiresAt).toISOString()})`}`,
    );
    if (this.#timer !== undefined) this.keepFresh();
  }
}
