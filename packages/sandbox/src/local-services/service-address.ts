// Where a local service listens: always a loopback address on this machine.

export interface ServiceAddress {
  host: string;
  port: number;
}

export function formatAddress(address: ServiceAddress): string {
  return address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** 127.0.0.0/8, ::1 and "localhost": the only targets a `tcp` port may forward to. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** "host:port" or "[v6]:port" → its parts, or undefined when it is not one. */
export function parseHostPort(text: string): ServiceAddress | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text.trim());
  if (match === null) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (match[1] ?? match[2])!, port };
}
