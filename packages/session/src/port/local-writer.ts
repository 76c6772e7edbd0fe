// Writes incoming data-channel bytes to the one local stream of basic/stream mode; while the local side
// is slow (write() returned false) the data channel holds further frames back (unacked, §4.4) — in these
// modes the session carries a single connection, so that slows no one else.

import type { Writable } from "node:stream";
import type { PortLink } from "./port-link.js";

export class LocalWriter {
  readonly #link: PortLink;
  #target: Writable | undefined;
  #waitingForDrain = false;

  constructor(link: PortLink) {
    this.#link = link;
    link.setAccepting(false);
  }

  get attached(): boolean {
    return this.#target !== undefined;
  }

  attach(target: Writable): void {
    this.#target = target;
    this.#waitingForDrain = false;
    this.#link.setAccepting(true);
  }

  /** Until the next attach, incoming frames stay with the sender (not acknowledged). */
  detach(): void {
    this.#target = undefined;
    this.#link.setAccepting(false);
  }

  write(bytes: Uint8Array): void {
    const target = this.#target;
    if (target === undefined || target.destroyed || target.writableEnded) return;
    if (target.write(bytes) || this.#waitingForDrain) return;
    this.#waitingForDrain = true;
    this.#link.setAccepting(false);
    target.once("drain", () => {
      if (this.#target !== target) return;
      this.#waitingForDrain = false;
      this.#link.setAccepting(true);
    });
  }
}
