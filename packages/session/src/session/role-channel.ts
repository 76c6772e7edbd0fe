// What both roles hand their caller around the shared core: the `ready` and `ended` promises, the options
// they both take, sending a Flag once ready, close, stats and the connection state. A role adds its
// payload handlers and its own methods.

import type { Clock } from "../clock.js";
import type { DigestPolicy } from "../codec/frame.js";
import type { ChannelRole } from "../crypto/data-key.js";
import { ChannelClosedError, type DataChannelError } from "../errors.js";
import type { DataChannelTransport, TransportCloseInfo } from "../transport.js";
import {
  DataChannelCore,
  type DataChannelCoreOptions,
  type DataChannelDiagnostic,
  type DataChannelEnd,
  type DataChannelStats,
  type DataChannelTuning,
} from "./data-channel-core.js";
import { pickDefined } from "./pick-defined.js";

/** The options both roles take; `Info` is what the role's `ready` resolves with. */
export interface RoleChannelOptions<Info> {
  transport: DataChannelTransport;
  onReady?: (info: Info) => void;
  onFlag?: (flag: number) => void;
  onEnd?: (end: DataChannelEnd) => void;
  onDiagnostic?: (diagnostic: DataChannelDiagnostic) => void;
  /**
   * Makes the channel resumable (§8). When given, a dropped transport does not end the channel: this is
   * called, and the caller gets a new token, dials again and calls `replaceTransport`.
   */
  onTransportLost?: (info: TransportCloseInfo) => void;
  clock?: Clock;
  tuning?: DataChannelTuning;
  /** Honour pause/start_publication (§4.5); each role's default is its own (see its options). */
  honourPublicationPause?: boolean;
  /** Digest checking (§2.4); each role's default is its own (see its options). */
  digestPolicy?: (messageType: string) => DigestPolicy;
}

/** What differs between the roles in how the core is built. */
export type RoleCoreDefaults = Pick<
  DataChannelCoreOptions,
  "digestPolicy" | "honourPublicationPause" | "ackBeforeDelivery"
>;

export abstract class RoleChannel<Info> {
  /** Resolves when the session is ready for the caller's data; rejects when it ended (or failed) first. */
  readonly ready: Promise<Info>;
  /** Resolves once, when the channel ends for any reason. */
  readonly ended: Promise<DataChannelEnd>;
  protected readonly core: DataChannelCore;
  readonly #options: RoleChannelOptions<Info>;
  #info: Info | undefined;
  #resolveReady!: (info: Info) => void;
  #rejectReady!: (error: DataChannelError) => void;
  #resolveEnded!: (end: DataChannelEnd) => void;

  constructor(role: ChannelRole, options: RoleChannelOptions<Info>, defaults: RoleCoreDefaults) {
    this.#options = options;
    this.ready = new Promise<Info>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    this.ready.catch(() => {}); // callers may never await it; its failure also reaches `ended`
    this.ended = new Promise<DataChannelEnd>((resolve) => {
      this.#resolveEnded = resolve;
    });
    this.core = new DataChannelCore({
      role,
      transport: options.transport,
      ...pickDefined(options, ["clock", "tuning", "onFlag", "onDiagnostic", "onTransportLost"]),
      digestPolicy: options.digestPolicy ?? defaults.digestPolicy,
      honourPublicationPause: options.honourPublicationPause ?? defaults.honourPublicationPause,
      ...pickDefined(defaults, ["ackBeforeDelivery"]),
      onEnd: (end) => this.#finish(end),
    });
  }

  /** A Flag payload (PayloadType 10), e.g. TerminateSession or ConnectToPortError; waits for `ready`. */
  async sendFlag(flag: number): Promise<void> {
    await this.afterReady();
    await this.core.sendFlag(flag);
  }

  /** Ends the channel from this side and closes the transport. */
  close(): void {
    this.core.end({ reason: "closed" });
  }

  stats(): DataChannelStats {
    return this.core.stats();
  }

  /** False between a transport drop and `replaceTransport`. */
  get connected(): boolean {
    return this.core.connected;
  }

  protected get isReady(): boolean {
    return this.#info !== undefined;
  }

  /** Resolves `ready` and tells `onReady`, once. */
  protected becomeReady(info: Info): void {
    if (this.#info !== undefined) return;
    this.#info = info;
    this.#resolveReady(info);
    this.#options.onReady?.(info);
  }

  /** Rejects `ready` (a handshake the far side cannot complete) while the channel may still run. */
  protected failReady(error: DataChannelError): void {
    this.#rejectReady(error);
  }

  /** Waits for `ready`; its failure is thrown as an Error. */
  protected async afterReady(): Promise<void> {
    try {
      await this.ready;
    } catch (error) {
      throw error instanceof Error ? error : new ChannelClosedError(String(error), "Open a new session.");
    }
  }

  /** The role's timers (keepalive, handshake) stop when the channel ends. */
  protected abstract stopTimers(): void;

  /** Why `ready` fails when the channel ended before it, and the end carries no error of its own. */
  protected abstract endedBeforeReady(end: DataChannelEnd): DataChannelError;

  #finish(end: DataChannelEnd): void {
    this.stopTimers();
    if (this.#info === undefined) this.#rejectReady(end.error ?? this.endedBeforeReady(end));
    this.#options.onEnd?.(end);
    this.#resolveEnded(end);
  }
}
