// Striping: N port sessions behind one listener (`tobira port … --sessions N`, `tobira cp`).
//
// Why: Session Manager paces every session's data channel (about 1000 frames of 1 KiB a second, whatever the
// link), so one session carries about 1 MB/s. Connections spread over N sessions of the same target and
// document carry up to N times that; each session stays within its own limit. Each new connection goes to
// the live session with the fewest open connections, and among equals to the next in turn (round robin), so
// N parallel transfers land on N different sessions. A session that ends leaves the others serving.
import type { Duplex } from "node:stream";
import { UsageError } from "../../errors.js";
import type { ResumablePortSession } from "./resumable-port-session.js";

/** The most sessions one mapping may open: beyond this the start-up cost outweighs what another one adds. */
export const MAX_SESSIONS = 16;

/** `--sessions N`: a whole number from 1 to MAX_SESSIONS. */
export function parseSessionCount(text: string | undefined): number {
  if (text === undefined) return 1;
  const count = /^\d{1,2}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_SESSIONS) {
    throw new UsageError(`--sessions '${text}' is not a number of sessions from 1 to ${MAX_SESSIONS}`, {
      hint: "give how many Session Manager sessions to spread the connections over, e.g. --sessions 4",
    });
  }
  return count;
}

/** `count` sessions started together; if one cannot start, those that did are ended and its error is thrown. */
export async function startTogether(
  count: number,
  start: () => Promise<ResumablePortSession>,
): Promise<ResumablePortSession[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, start));
  const sessions = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failed = started.find((result) => result.status === "rejected");
  if (failed === undefined) return sessions;
  await Promise.all(sessions.map((session) => session.terminate()));
  throw failed.reason;
}

export interface PoolMember {
  session: ResumablePortSession;
  /** 1-based, for the lines that name it ("session 2 of 4"). */
  number: number;
  /** Connections it carries now. */
  open: number;
  /** False once the session has ended. */
  live: boolean;
  /** The local connections it carries, closed when it ends. */
  sockets: Set<Duplex>;
}

export class PortSessionPool {
  readonly members: PoolMember[];
  #turn = 0;

  constructor(sessions: readonly ResumablePortSession[]) {
    this.members = sessions.map((session, index) => ({
      session,
      number: index + 1,
      open: 0,
      live: true,
      sockets: new Set<Duplex>(),
    }));
    for (const member of this.members) {
      void member.session.ended.then(() => {
        member.live = false;
        // Its connections cannot go on over another session (the far end is a different TCP connection).
        for (const socket of member.sockets) socket.destroy();
      });
    }
  }

  get size(): number {
    return this.members.length;
  }

  /** How many sessions still carry connections. */
  liveCount(): number {
    return this.members.filter((member) => member.live).length;
  }

  /** The live session with the fewest open connections; among equals the next in turn. */
  pick(): PoolMember | undefined {
    let best: PoolMember | undefined;
    for (let step = 0; step < this.members.length; step++) {
      const member = this.members[(this.#turn + step) % this.members.length]!;
      if (member.live && (best === undefined || member.open < best.open)) best = member;
    }
    if (best !== undefined) this.#turn = best.number % this.members.length;
    return best;
  }

  /**
   * Carries one local connection on the chosen session; resolves when it is finished. Rejects at once when
   * no session is left.
   */
  connect(local: Duplex): Promise<void> {
    const member = this.pick();
    if (member === undefined) return Promise.reject(new Error("every session of this port has ended"));
    member.open++;
    member.sockets.add(local);
    return member.session.port.connect(local).finally(() => {
      member.open--;
      member.sockets.delete(local);
    });
  }
}
