// The end of piped input, told to a remote shell: Ctrl-D on its pty, as at a terminal — typed again when the
// remote has written something and then gone quiet, a few times at most.
//
// Why again: input typed ahead while the remote is still starting (the shell profile execs bash, readline
// switches the pty out of canonical mode) can lose a Ctrl-D in that switch, and the shell would then wait
// forever for input that will never come. A remote that went quiet after output is, most likely, at a prompt.
// Input is over either way, so an extra Ctrl-D only ends whatever reads it next.

const EOF_BYTE = 0x04;

export interface PipedInputEndOptions {
  /** How long the remote must stay quiet after output before the next Ctrl-D (default 300 ms). */
  quietMs?: number;
  /** How many times Ctrl-D is typed again after the first (default 5). */
  maxRepeats?: number;
}

export class PipedInputEnd {
  readonly #send: (bytes: Uint8Array) => void;
  readonly #quietMs: number;
  #repeatsLeft: number;
  #ended = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(send: (bytes: Uint8Array) => void, options: PipedInputEndOptions = {}) {
    this.#send = send;
    this.#quietMs = options.quietMs ?? 300;
    this.#repeatsLeft = options.maxRepeats ?? 5;
  }

  /** Local input reached its end: Ctrl-D now. */
  inputEnded(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#send(Uint8Array.of(EOF_BYTE));
  }

  /** The remote wrote something: once it goes quiet, Ctrl-D again (while repeats are left). */
  outputSeen(): void {
    if (!this.#ended || this.#repeatsLeft <= 0) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#repeatsLeft -= 1;
      this.#send(Uint8Array.of(EOF_BYTE));
    }, this.#quietMs);
    this.#timer.unref();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#repeatsLeft = 0;
  }
}
