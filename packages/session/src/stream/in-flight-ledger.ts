// The unacknowledged messages of one direction and the evidence that one of them was lost (§4.2, §4.7).
//
// Acks are per message (§4.2), so an ack for a message sent *after* an unacked one is a gap in the
// acknowledged sequence numbers: the receiver got the later message and not (yet) the earlier. After
// `evidenceAcks` such acks (3, as TCP's duplicate-ack threshold, RFC 5681 §3.2: a frame merely overtaken by
// one or two others is not resent) it is declared lost and resent at once, without waiting for the
// retransmission timeout: loss repair in about one round trip, with the later messages still flowing (no
// head-of-line stall). The timeout stays for what no evidence can reveal: the last messages of a burst, or a
// dead link.

export interface InFlightMessage {
  readonly sequenceNumber: number;
  readonly frame: Uint8Array;
  readonly firstSent: number;
  lastSent: number;
  resends: number;
  /** Acks of messages sent after `lastSent` seen while this one stayed unacked. */
  evidence: number;
  /** Timeouts in a row without an ack: each doubles this message's timeout (RFC 6298 §5.5). */
  timeouts: number;
}

/** What an ack did: the round-trip sample it gives, if any, and the messages it showed to be lost. */
export interface AckOutcome {
  /** Round trip of a message sent once; none for a resent one, whose ack is ambiguous (Karn). */
  rttSampleMs: number | undefined;
  /** The acked message had been sent only once: its ack proves that sending, not a resend, got through. */
  original: boolean;
  /** The acked message had been resent by a timeout. */
  timedOut: boolean;
  lost: InFlightMessage[];
}

export class InFlightLedger {
  /** In sequence order: messages are added in order and never re-added. */
  readonly #entries = new Map<number, InFlightMessage>();

  get size(): number {
    return this.#entries.size;
  }

  get(sequenceNumber: number): InFlightMessage | undefined {
    return this.#entries.get(sequenceNumber);
  }

  values(): IterableIterator<InFlightMessage> {
    return this.#entries.values();
  }

  sequenceNumbers(): number[] {
    return [...this.#entries.keys()];
  }

  add(sequenceNumber: number, frame: Uint8Array, now: number): void {
    this.#entries.set(sequenceNumber, {
      sequenceNumber,
      frame,
      firstSent: now,
      lastSent: now,
      resends: 0,
      evidence: 0,
      timeouts: 0,
    });
  }

  /** A resend went out now: evidence starts again, from acks of messages sent after it. */
  markResent(entry: InFlightMessage, now: number): void {
    entry.lastSent = now;
    entry.resends++;
    entry.evidence = 0;
  }

  clear(): void {
    this.#entries.clear();
  }

  /** An ack for `sequenceNumber`: forgets it and returns what it reveals about the messages before it. */
  acknowledge(sequenceNumber: number, now: number, evidenceAcks: number): AckOutcome | undefined {
    const acked = this.#entries.get(sequenceNumber);
    if (acked === undefined) return undefined; // a duplicate ack (or one for a message already forgotten)
    this.#entries.delete(sequenceNumber);
    const lost: InFlightMessage[] = [];
    // Only the unacked messages before this one are visited: the gaps, few even in a long window.
    for (const entry of this.#entries.values()) {
      if (entry.sequenceNumber > sequenceNumber) break;
      if (entry.lastSent > acked.lastSent) continue; // resent after the acked one left: no evidence yet
      entry.evidence++;
      // Declared once per send: more evidence for a message already queued again changes nothing.
      if (entry.evidence === evidenceAcks) lost.push(entry);
    }
    const original = acked.resends === 0;
    return {
      rttSampleMs: original ? now - acked.firstSent : undefined,
      original,
      timedOut: acked.timeouts > 0,
      lost,
    };
  }

  /** When the earliest timeout of `candidates` falls; undefined when there is none. */
  static nextDeadline(candidates: readonly InFlightMessage[], rto: RtoBounds): number | undefined {
    let next: number | undefined;
    for (const entry of candidates) {
      const due = timeoutBase(entry, rto) + timeoutOf(entry, rto);
      if (next === undefined || due < next) next = due;
    }
    return next;
  }

  /**
   * The messages a timeout may resend, oldest first: every one not `skip`ped, or with `headOnly` just the
   * oldest of them (the plugin's rule, §4.3).
   */
  timeoutCandidates(skip: ReadonlySet<number>, headOnly: boolean): InFlightMessage[] {
    const out: InFlightMessage[] = [];
    for (const entry of this.#entries.values()) {
      if (skip.has(entry.sequenceNumber)) continue;
      out.push(entry);
      if (headOnly) break;
    }
    return out;
  }
}

export interface RtoBounds {
  /** The estimator's RTO, ms. */
  rtoMs: number;
  /** The cap of a backed-off timeout, ms. */
  maxRtoMs: number;
  /**
   * When the last ack arrived (any message): the timeout of what was sent before it counts from there, as
   * TCP restarts its timer on every ack (RFC 6298 §5.3). Counted from each message's own sending, a queue
   * or a paused peer that holds every ack for longer than the RTO would time out, one after another, every
   * message sent meanwhile, though its ack is on the way; while acks arrive, a loss among them is found by
   * evidence instead.
   */
  lastAckAt?: number;
}

/** Where a message's timeout counts from: its last sending, or the last ack if that came later. */
export function timeoutBase(entry: InFlightMessage, rto: RtoBounds): number {
  return Math.max(entry.lastSent, rto.lastAckAt ?? Number.NEGATIVE_INFINITY);
}

/** The base timeout doubled per timeout in a row, never above the cap. */
export function timeoutOf(entry: InFlightMessage, rto: RtoBounds): number {
  return Math.min(rto.maxRtoMs, rto.rtoMs * 2 ** Math.min(entry.timeouts, 16));
}
