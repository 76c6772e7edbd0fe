// Client side of a basic port session (§7.3): one local connection at a time; when it closes the agent is
// told with Flag DisconnectToPort, and the next waiting connection takes over the same data channel.

import type { Duplex } from "node:stream";
import { FlagValue } from "../constants.js";
import { describeError } from "../errors.js";
import { LocalWriter } from "./local-writer.js";
import type { PortLink } from "./port-link.js";

export interface BasicPortClientOptions {
  link: PortLink;
  onDiagnostic?: (reason: string) => void;
}

export class BasicPortClient {
  readonly #link: PortLink;
  readonly #o: BasicPortClientOptions;
  readonly #writer: LocalWriter;
  readonly #waiting: { local: Duplex; done: () => void }[] = [];
  #busy = false;
  #closed = false;

  constructor(options: BasicPortClientOptions) {
    this.#o = options;
    this.#link = options.link;
    // Until a local connection exists, Output stays with the agent (it resends, e.g. an SSH banner).
    this.#writer = new LocalWriter(options.link);
  }

  /** Connections waiting behind the current one. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Queues a local connection; resolves once it was served and closed. */
  connect(local: Duplex): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push({ local, done: resolve });
      this.#next();
    });
  }

  receive(bytes: Uint8Array): void {
    this.#writer.write(bytes);
  }

  flag(value: number): void {
    this.#o.onDiagnostic?.(`flag ${value} ignored in basic mode`);
  }

  close(): void {
    this.#closed = true;
    this.#writer.detach();
    for (const w of this.#waiting.splice(0)) {
      w.local.destroy();
      w.done();
    }
  }

  #next(): void {
    if (this.#busy || this.#closed) return;
    const entry = this.#waiting.shift();
    if (entry === undefined) return;
    this.#busy = true;
    void this.#serve(entry.local).finally(() => {
      this.#busy = false;
      entry.done();
      this.#next();
    });
  }

  async #serve(local: Duplex): Promise<void> {
    this.#writer.attach(local);
    try {
      for await (const chunk of local) await this.#link.send(chunk as Uint8Array);
    } catch (error) {
      this.#o.onDiagnostic?.(`local connection failed: ${describeError(error)}`);
    }
    this.#writer.detach();
    if (!local.destroyed) local.destroy();
    if (this.#closed) return;
    // The agent closes its destination socket and re-dials on our next data (§7.3).
    await this.#link.sendFlag(FlagValue.DisconnectToPort).catch((error: unknown) => {
      this.#o.onDiagnostic?.(`DisconnectToPort not sent: ${describeError(error)}`);
    });
  }
}
