// The service's idea of "now", learned from the Date header of its answers. Credentials expire by the
// clock of the service that issued them, and signatures are checked against it: a long-lived tunnel that
// compares an Expiration with its own clock refreshes too late (or signs a reconnect the service calls
// expired) whenever the two clocks disagree.
import type { SSMClient } from "@aws-sdk/client-ssm";

/** Offsets below this are noise (the Date header has one-second resolution). */
const NOISE_MS = 2000;

export class ServiceClock {
  #offsetMs = 0;
  constructor(private readonly localNow: () => number = Date.now) {}

  /** Milliseconds the service is ahead of this machine (negative: behind). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  now(): number {
    return this.localNow() + this.#offsetMs;
  }

  /** One answer's Date header (RFC 7231 text); ignored when missing or unreadable. */
  observe(dateHeader: string | undefined): void {
    if (dateHeader === undefined) return;
    const serviceTime = Date.parse(dateHeader);
    if (Number.isNaN(serviceTime)) return;
    const offset = serviceTime - this.localNow();
    // The header is truncated to the second: keep the old offset while it explains the new header.
    if (Math.abs(offset - this.#offsetMs) > NOISE_MS) this.#offsetMs = offset;
  }

  /** Reads the Date header of every answer (errors included) the client gets. */
  watch(client: Pick<SSMClient, "middlewareStack">): void {
    client.middlewareStack.add(
      (next) => async (args) => {
        try {
          const result = await next(args);
          this.observe(dateOf((result as { response?: unknown }).response));
          return result;
        } catch (error) {
          this.observe(dateOf((error as { $response?: unknown } | undefined)?.$response));
          throw error;
        }
      },
      { step: "deserialize", name: "tobiraServiceClock", override: true },
    );
  }
}

function dateOf(response: unknown): string | undefined {
  const headers = (response as { headers?: Record<string, string | undefined> } | undefined)?.headers;
  return headers?.date ?? headers?.Date;
}
