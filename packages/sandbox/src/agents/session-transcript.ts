// Keeps a session's terminal output in <stateDir>/sessions/<sessionId>.log (owner-only), as Session Manager's
// S3 / CloudWatch Logs logging would keep it.

import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";

export const SESSIONS_FOLDER = "sessions";

export function transcriptPath(stateDir: string, sessionId: string): string {
  return join(stateDir, SESSIONS_FOLDER, `${sessionId}.log`);
}

export class SessionTranscript {
  readonly path: string;
  #fd: number | undefined;

  constructor(stateDir: string, sessionId: string) {
    mkdirSync(join(stateDir, SESSIONS_FOLDER), { recursive: true, mode: 0o700 });
    this.path = transcriptPath(stateDir, sessionId);
    this.#fd = openSync(this.path, "a", 0o600);
  }

  append(bytes: Uint8Array | string): void {
    if (this.#fd === undefined) return;
    try {
      writeSync(this.#fd, typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes);
    } catch (error) {
      // A full disk must not end the session; say once where the log stopped.
      process.stderr.write(`sandbox: transcript ${this.path} stopped: ${(error as Error).message}\n`);
      this.close();
    }
  }

  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}
