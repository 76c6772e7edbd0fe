// Parses the LOCAL:REMOTE arguments of `tobira port` (as `ssh -L` users write them) into mappings, and names
// the Session Manager document and parameters each mapping's session is started with (ssm-protocol.md §7.2).
import { UsageError } from "../../errors.js";

export interface PortMapping {
  /** 0 = a free port chosen at listen time. */
  localPort: number;
  remotePort: number;
  /** As typed ("5432:5432"), for messages. */
  text: string;
}

export const PORT_FORWARDING_DOCUMENT = "AWS-StartPortForwardingSession";
export const REMOTE_HOST_DOCUMENT = "AWS-StartPortForwardingSessionToRemoteHost";
export const SSH_DOCUMENT = "AWS-StartSSHSession";

function portNumber(text: string, what: string, mapping: string, allowZero: boolean): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535 || (!allowZero && port === 0)) {
    throw new UsageError(`'${mapping}': ${what} '${text}' is not a TCP port`, {
      hint: `give LOCAL:REMOTE with ports 1-65535 (LOCAL may be 0 for a free port), e.g. 8080:80`,
    });
  }
  return port;
}

/** "8080:80" → {8080, 80}; "80" alone means the same port on both sides. */
export function parsePortMapping(text: string): PortMapping {
  const parts = text.trim().split(":");
  if (parts.length > 2 || parts.some((part) => part === "")) {
    throw new UsageError(`'${text}' is not a port mapping`, {
      hint: "write LOCAL:REMOTE (8080:80), or one port for both sides; use --host for a remote host",
    });
  }
  const [localText, remoteText] = parts.length === 2 ? [parts[0]!, parts[1]!] : [parts[0]!, parts[0]!];
  const localPort = portNumber(localText, "local port", text, true);
  const remotePort = portNumber(remoteText, "remote port", text, false);
  return { localPort, remotePort, text };
}

/** Every mapping; two fixed local ports that collide are refused before anything is opened. */
export function parsePortMappings(texts: readonly string[]): PortMapping[] {
  if (texts.length === 0) {
    throw new UsageError("no port mapping given", { hint: "tobira port TARGET LOCAL:REMOTE, e.g. 8080:80" });
  }
  const mappings = texts.map(parsePortMapping);
  const seen = new Set<number>();
  for (const mapping of mappings) {
    if (mapping.localPort === 0) continue;
    if (seen.has(mapping.localPort)) {
      throw new UsageError(`local port ${mapping.localPort} is given twice`, {
        hint: "each mapping needs its own local port (or 0 for a free one)",
      });
    }
    seen.add(mapping.localPort);
  }
  return mappings;
}

export interface PortDocument {
  documentName: string;
  parameters: Record<string, string[]>;
}

/** The document and parameters for one mapping: the instance's own port, or `host` seen from it. */
export function portForwardingDocument(mapping: PortMapping, host?: string): PortDocument {
  const common = {
    portNumber: [String(mapping.remotePort)],
    localPortNumber: [String(mapping.localPort)],
  };
  if (host === undefined || host === "")
    return { documentName: PORT_FORWARDING_DOCUMENT, parameters: common };
  return { documentName: REMOTE_HOST_DOCUMENT, parameters: { host: [host], ...common } };
}

/** AWS-StartSSHSession for `ssh-proxy`: only portNumber (default 22). */
export function sshDocument(port: number): PortDocument {
  return { documentName: SSH_DOCUMENT, parameters: { portNumber: [String(port)] } };
}
