// Client side of the stdin/stdout stream mode (§7.5, SSH ProxyCommand): input bytes go out as Output,
// received bytes go to the output. Input EOF finishes the work; the caller decides how to end the session
// (the official plugin exits at once, abandoning unacknowledged frames).

import type { Readable, Writable } from "node:stream";
import { describeError } from "../errors.js";
import { LocalWriter } from "./local-writer.js";
import type { PortLink } from "./port-link.js";

export interface StreamPortClientOptions {
  link: PortLink;
  input: Readable;
  output: Writable;
  onDiagnostic?: (reason: string) => void;
}

export class StreamPortClient {
  readonly #o: StreamPortClientOptions;
  readonly #writer: LocalWriter;
  /** Resolves when the input ended (or failed) and every byte of it was queued on the data channel. */
  readonly inputEnded: Promise<void>;

  constructor(options: StreamPortClientOptions) {
    this.#o = options;
    this.#writer = new LocalWriter(options.link);
    this.#writer.attach(options.output);
    this.inputEnded = this.#pump();
  }

  receive(bytes: Uint8Array): void {
    this.#writer.write(bytes);
  }

  flag(value: number): void {
    this.#o.onDiagnostic?.(`flag ${value} ignored in stream mode`);
  }

  /** Stops writing to the output. */
  close(): void {
    this.#writer.detach();
  }

  async #pump(): Promise<void> {
    try {
      for await (const chunk of this.#o.input) await this.#o.link.send(chunk as Uint8Array);
    } catch (error) {
      this.#o.onDiagnostic?.(`input failed: ${describeError(error)}`);
    }
  }
}
