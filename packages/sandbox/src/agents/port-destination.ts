// Where a port session's connections go, decided as the agent decides it: `portNumber` on the instance
// itself, or on `host` (AWS-StartPortForwardingSessionToRemoteHost) when the world says the instance can
// reach it. The agent's deny list (IMDS, Amazon DNS, NTP and the other link-local service addresses) is
// refused outright, with the agent's message.

import { isIP } from "node:net";
import type { SessionRecord } from "../services/ssm/session-store.js";
import type { Instance, World } from "../world/model.js";

/** The agent's default `Mgs.DeniedPortForwardingRemoteIPs` (amazon-ssm-agent's appconfig). */
export const DENIED_REMOTE_ADDRESSES: readonly string[] = [
  "169.254.169.254",
  "fd00:ec2::254",
  "169.254.169.253",
  "fd00:ec2::253",
  "169.254.169.123",
  "fd00:ec2::123",
  "169.254.169.250",
  "169.254.169.251",
  "fd00:ec2::250",
];

/** Names EC2's resolver gives the metadata service (an instance resolves them to 169.254.169.254). */
const METADATA_NAMES = new Set(["instance-data", "instance-data.ec2.internal"]);

/** Hosts that mean the instance itself. */
const SELF_NAMES = new Set(["", "localhost", "127.0.0.1", "::1"]);

export interface PortRequest {
  port: number;
  /** As the session's `host` property gave it; empty for the instance itself. */
  host: string;
}

/** The session's `portNumber` and `host` properties, or why they are unusable (the agent's wording). */
export function portRequestOf(session: SessionRecord): PortRequest | { refusal: string } {
  const rawPort = session.properties.portNumber;
  const portText =
    typeof rawPort === "number" ? String(rawPort) : typeof rawPort === "string" ? rawPort.trim() : "";
  if (portText === "") {
    return { refusal: `Port number is empty in session properties. ${JSON.stringify(session.properties)}` };
  }
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) {
    return { refusal: `Port number ${JSON.stringify(portText)} is not a TCP port (1-65535).` };
  }
  const rawHost = session.properties.host;
  const host = typeof rawHost === "string" ? rawHost.trim() : "";
  return { port, host };
}

/** An IP literal as net.ParseIP would read it: brackets and zone dropped, IPv4-mapped IPv6 as IPv4. */
function canonicalAddress(host: string): string | undefined {
  const bare = host
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "")
    .toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare);
  if (mapped) return mapped[1];
  const version = isIP(bare);
  if (version === 4) return bare;
  if (version === 6) return expandIpv6(bare);
  return undefined;
}

function expandIpv6(address: string): string {
  const [head = "", tail] = address.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...fill, ...right].map((group) => Number.parseInt(group, 16).toString(16)).join(":");
}

const DENIED = new Set(DENIED_REMOTE_ADDRESSES.map((a) => canonicalAddress(a)!));

/** The agent's refusal for a remote host on its deny list, else undefined. */
export function deniedHostRefusal(host: string): string | undefined {
  const name = host.toLowerCase().replace(/\.$/, "");
  const address = METADATA_NAMES.has(name) ? "169.254.169.254" : canonicalAddress(host);
  if (address !== undefined && DENIED.has(address)) return `Forwarding to IP address ${host} is forbidden.`;
  return undefined;
}

/** The world instance and port a request lands on, or why the connection cannot be made from `instance`. */
export type Destination =
  | { ok: true; instance: Instance; port: number; label: string }
  | { ok: false; reason: string; hint?: string };

function isSelf(instance: Instance, host: string): boolean {
  const name = host.toLowerCase();
  return (
    SELF_NAMES.has(name) ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) ||
    name === instance.privateIp ||
    name === instance.privateDnsName.toLowerCase()
  );
}

/** Whether `instance`'s reachableHosts list `host` on `port` (entries are "host:port" or "host"). */
function reaches(instance: Instance, host: string, port: number): boolean {
  const name = host.toLowerCase();
  return instance.reachableHosts.some((entry) => {
    const text = entry.trim().toLowerCase();
    const colon = text.lastIndexOf(":");
    const bracketed = text.startsWith("[");
    const hasPort = colon > 0 && (bracketed ? text.includes("]:") : text.indexOf(":") === colon);
    const entryHost = (hasPort ? text.slice(0, colon) : text).replace(/^\[|\]$/g, "");
    const entryPort = hasPort ? Number(text.slice(colon + 1)) : undefined;
    return entryHost === name && (entryPort === undefined || entryPort === port);
  });
}

export function destinationOf(world: World, instance: Instance, request: PortRequest): Destination {
  const self = instance.name || instance.id;
  if (isSelf(instance, request.host)) {
    return { ok: true, instance, port: request.port, label: `${self}:${request.port}` };
  }
  const wanted = `${request.host}:${request.port}`;
  if (!reaches(instance, request.host, request.port)) {
    const listed = instance.reachableHosts.length === 0 ? "nothing" : instance.reachableHosts.join(", ");
    return {
      ok: false,
      reason: `${wanted} is not reachable from ${self} (${instance.id}) in the sandbox world; it reaches ${listed}.`,
      hint: "Forward to a host in the instance's `reachableHosts`, or add it there in the world file.",
    };
  }
  const name = request.host.toLowerCase();
  const target = world.instances.find(
    (i) =>
      i.account === instance.account &&
      i.region === instance.region &&
      (i.privateIp === name || i.privateDnsName.toLowerCase() === name),
  );
  if (target === undefined) {
    return {
      ok: false,
      reason: `${self} may reach ${wanted}, but no instance of the sandbox world has that address.`,
      hint: "Give an instance of the world that private IP or DNS name.",
    };
  }
  return {
    ok: true,
    instance: target,
    port: request.port,
    label: `${target.name || target.id}:${request.port}`,
  };
}
