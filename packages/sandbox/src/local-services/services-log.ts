// The sandbox's log of its local services (<state>/local-services.log): what serves which instance port,
// and why a port is served by nothing (sshd not installed, a bad `tcp` target). One timestamped line each.

import { appendFileSync } from "node:fs";
import { join } from "node:path";

export const SERVICES_LOG = "local-services.log";

export class ServicesLog {
  readonly path: string;
  readonly #lines: string[] = [];

  constructor(
    stateDir: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.path = join(stateDir, SERVICES_LOG);
  }

  /** Lines written by this sandbox run (tests read them). */
  get lines(): readonly string[] {
    return this.#lines;
  }

  note(line: string): void {
    this.#lines.push(line);
    try {
      appendFileSync(this.path, `${new Date(this.clock()).toISOString()} ${line}\n`, { mode: 0o600 });
    } catch (error) {
      process.stderr.write(`sandbox: cannot append to ${this.path}: ${(error as Error).message}\n`);
    }
  }
}
