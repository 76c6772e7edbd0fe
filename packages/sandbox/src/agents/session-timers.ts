// The preferences' idleSessionTimeout and maxSessionDuration for one session: fires once with the message
// the session ends with. Idle time restarts on every input the client sends.

export interface SessionLimits {
  /** Minutes as the preferences' strings ("20"); empty or invalid = none. */
  idleSessionTimeout: string;
  maxSessionDuration: string;
  /** Milliseconds per preference minute. */
  minuteMs: number;
}

function minutes(value: string): number | undefined {
  const n = Number(value);
  return value.trim() !== "" && Number.isFinite(n) && n > 0 ? n : undefined;
}

function plural(n: number): string {
  return n === 1 ? "1 minute" : `${n} minutes`;
}

/** What Session Manager puts in channel_closed when idleSessionTimeout ends a session (users report it verbatim). */
export const IDLE_TIMEOUT_MESSAGE = "Your session timed out due to inactivity and has been terminated.";

export class SessionTimers {
  readonly #limits: SessionLimits;
  readonly #onExpire: (message: string) => void;
  #idle: NodeJS.Timeout | undefined;
  #max: NodeJS.Timeout | undefined;
  #done = false;

  constructor(sessionId: string, limits: SessionLimits, onExpire: (message: string) => void) {
    this.#limits = limits;
    this.#onExpire = (message) => {
      if (this.#done) return;
      this.stop();
      onExpire(message);
    };
    const max = minutes(limits.maxSessionDuration);
    if (max !== undefined) {
      this.#max = setTimeout(
        () =>
          this.#onExpire(
            `Session ${sessionId} reached the maximum session duration of ${plural(max)} (maxSessionDuration) and was terminated.`,
          ),
        max * limits.minuteMs,
      );
    }
    this.activity();
  }

  /** The client did something: the idle clock starts again. */
  activity(): void {
    if (this.#done) return;
    const idle = minutes(this.#limits.idleSessionTimeout);
    if (idle === undefined) return;
    if (this.#idle !== undefined) clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.#onExpire(IDLE_TIMEOUT_MESSAGE), idle * this.#limits.minuteMs);
  }

  stop(): void {
    this.#done = true;
    if (this.#idle !== undefined) clearTimeout(this.#idle);
    if (this.#max !== undefined) clearTimeout(this.#max);
  }
}
