// Agent side of basic mode (§7.3): dial the destination at once and pump it to the client; on
// DisconnectToPort close it and re-dial on the client's next data. Without LocalPortForwarding (SSH) the
// destination's EOF ends the session. The caller supplies the dialer; no sockets are created here.

import type { Duplex } from "node:stream";
import { FlagValue } from "../constants.js";
import { describeError } from "../errors.js";
import type { PortLink } from "./port-link.js";

export type BasicPortServerEnd =
  | { reason: "terminated" }
  | { reason: "destination-closed" }
  | { reason: "destination-failed"; error: Error };

export interface BasicPortServerOptions {
  link: PortLink;
  dial: () => Promise<Duplex>;
  /** True for sessions without LocalPortForwarding (AWS-StartSSHSession): destination EOF ends them. */
  endOnDestinationClose: boolean;
  onEnd: (end: BasicPortServerEnd) => void;
  onDiagnostic?: (reason: string) => void;
}

export class BasicPortServer {
  readonly #o: BasicPortServerOptions;
  #destination: Duplex | undefined;
  #dialing: Promise<Duplex | undefined> | undefined;
  #pending: Uint8Array[] = [];
  #ended = false;
  #waitingForDrain = false;

  constructor(options: BasicPortServerOptions) {
    this.#o = options;
  }

  /** Dials the destination now, as the agent does before any client data. */
  start(): void {
    void this.#connect();
  }

  /** Client bytes: written to the destination, re-dialling first if the client reconnected. */
  receive(bytes: Uint8Array): void {
    if (this.#ended) return;
    const destination = this.#destination;
    if (destination === undefined || destination.destroyed) {
      this.#pending.push(bytes);
      void this.#connect();
      return;
    }
    this.#write(destination, bytes);
  }

  flag(value: number): void {
    if (value === FlagValue.DisconnectToPort) {
      const destination = this.#destination;
      this.#destination = undefined;
      destination?.destroy();
    } else if (value === FlagValue.TerminateSession) this.#end({ reason: "terminated" });
    else this.#o.onDiagnostic?.(`flag ${value} ignored`);
  }

  stop(): void {
    this.#ended = true;
    this.#destination?.destroy();
    this.#destination = undefined;
  }

  #end(end: BasicPortServerEnd): void {
    if (this.#ended) return;
    this.stop();
    this.#o.onEnd(end);
  }

  #write(destination: Duplex, bytes: Uint8Array): void {
    if (destination.write(bytes) || this.#waitingForDrain) return;
    this.#waitingForDrain = true;
    this.#o.link.setAccepting(false);
    destination.once("drain", () => {
      this.#waitingForDrain = false;
      this.#o.link.setAccepting(true);
    });
    destination.once("close", () => {
      if (!this.#waitingForDrain) return;
      this.#waitingForDrain = false;
      this.#o.link.setAccepting(true);
    });
  }

  #connect(): Promise<Duplex | undefined> {
    if (this.#dialing !== undefined) return this.#dialing;
    this.#o.link.setAccepting(false);
    this.#dialing = this.#o.dial().then(
      (destination) => {
        this.#dialing = undefined;
        if (this.#ended) {
          destination.destroy();
          return undefined;
        }
        this.#destination = destination;
        for (const bytes of this.#pending.splice(0)) this.#write(destination, bytes);
        if (!this.#waitingForDrain) this.#o.link.setAccepting(true);
        void this.#pump(destination);
        return destination;
      },
      (error: unknown) => {
        this.#dialing = undefined;
        this.#end({
          reason: "destination-failed",
          error: error instanceof Error ? error : new Error(describeError(error)),
        });
        return undefined;
      },
    );
    return this.#dialing;
  }

  async #pump(destination: Duplex): Promise<void> {
    let failed: unknown;
    try {
      for await (const chunk of destination) await this.#o.link.send(chunk as Uint8Array);
    } catch (error) {
      failed = error;
    }
    const current = this.#destination === destination;
    if (current) this.#destination = undefined;
    if (!destination.destroyed) destination.destroy();
    // Closed by DisconnectToPort (not current any more): wait for the client's next data.
    if (!current || this.#ended) return;
    if (failed !== undefined && this.#o.endOnDestinationClose) {
      this.#end({
        reason: "destination-failed",
        error: failed instanceof Error ? failed : new Error(describeError(failed)),
      });
    } else if (this.#o.endOnDestinationClose) this.#end({ reason: "destination-closed" });
    // LocalPortForwarding: the destination closed first; wait silently for client data (§7.3).
  }
}
