// Which handler takes an in-order stream message: one dispatcher for both roles, a table from PayloadType
// (§3.2) to the role's handler. A phase (the agent's handshake, §4.4) may put its own table in front.

import type { ClientMessage } from "../codec/frame.js";
import type { DeliveryVerdict } from "../stream/incoming-stream.js";

/** Takes one in-order message: "delivered" (acked), or "not-ready" (left unacked; the sender resends). */
export type PayloadHandler = (message: ClientMessage) => DeliveryVerdict;

/** A role's handlers by PayloadType; a type not in the table goes to the phase's `otherwise`. */
export type PayloadHandlers = Readonly<Partial<Record<number, PayloadHandler>>>;

export interface PayloadPhase {
  handlers: PayloadHandlers;
  otherwise: PayloadHandler;
}

export class PayloadDispatcher {
  #session: PayloadPhase;
  #phase: PayloadPhase | undefined;

  /** `session`: the table that holds once the channel is working (and while no phase is in front). */
  constructor(session: PayloadPhase) {
    this.#session = session;
  }

  /** Adds a role's handlers to the working table (a type given again takes the role's handler). */
  handle(handlers: PayloadHandlers): void {
    this.#session = { ...this.#session, handlers: { ...this.#session.handlers, ...handlers } };
  }

  /** Until `leavePhase`, `phase` takes every message instead of the working table. */
  enterPhase(phase: PayloadPhase): void {
    this.#phase = phase;
  }

  leavePhase(): void {
    this.#phase = undefined;
  }

  deliver(message: ClientMessage): DeliveryVerdict {
    const phase = this.#phase ?? this.#session;
    return (phase.handlers[message.payloadType] ?? phase.otherwise)(message);
  }
}
