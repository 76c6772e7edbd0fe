// Learns the endpoint's clock from the Date header of each answer an SDK client gets, for the clock-skew check
// (SigV4 refuses requests more than 5 minutes off; TOTP codes are judged by AWS's clock).
interface ClientWithStack {
  middlewareStack: {
    add(middleware: unknown, options: { step: "deserialize"; name: string }): void;
  };
}

/** Records server time minus local time on every successful answer that carries a Date header. */
export function watchServerClock(client: ClientWithStack, onSkew: (skewMs: number) => void): void {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<{ response?: { headers?: Record<string, string> } }>) =>
      async (args: unknown) => {
        const out = await next(args);
        const date = out.response?.headers?.date;
        const serverMs = date === undefined ? Number.NaN : Date.parse(date);
        if (!Number.isNaN(serverMs)) onSkew(serverMs - Date.now());
        return out;
      },
    { step: "deserialize", name: "tobiraDoctorServerClock" },
  );
}
