// The version comparisons both official sides use for feature negotiation (§3.6), and the decisions built
// on them: which port mode each side runs (§7.2), the TerminateSession flag, smux keepalive.

/**
 * The plugin's comparison: both versions split on "."; the same number of components, every one a decimal
 * integer, or the comparison fails (undefined) and the feature counts as unsupported.
 */
export function comparePluginVersions(a: string, b: string): number | undefined {
  const left = a.split(".");
  const right = b.split(".");
  if (left.length !== right.length) return undefined;
  // Every component is parsed before any is compared: one bad component fails the whole comparison.
  if (![...left, ...right].every((part) => /^\d+$/.test(part))) return undefined;
  for (let i = 0; i < left.length; i++) {
    const diff = Number(left[i]) - Number(right[i]);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

/**
 * The agent's comparison: SemVer ordering when both are 3-part versions; otherwise component by component,
 * numerically where both parts are numbers and as strings otherwise; a version that runs out of components
 * first is the smaller.
 */
export function compareAgentVersions(a: string, b: string): number {
  if (SEMVER.test(a) && SEMVER.test(b)) return compareComponents(a.split("."), b.split("."), true);
  return compareComponents(a.split("."), b.split("."), false);
}

function compareComponents(left: string[], right: string[], allNumeric: boolean): number {
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const x = left[i]!;
    const y = right[i]!;
    const numeric = allNumeric || (/^\d+$/.test(x) && /^\d+$/.test(y));
    const diff = numeric ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
    if (diff !== 0) return Math.sign(diff);
  }
  return Math.sign(left.length - right.length);
}

/** §3.6 thresholds, as the official sides compare them. */
export const VERSION_THRESHOLDS = {
  /** Client sends the TerminateSession flag when agentVersion > this. */
  terminateFlagAgent: "2.3.722.0",
  /** Client multiplexes LocalPortForwarding when agentVersion > this. */
  muxAgent: "3.0.196.0",
  /** Agent multiplexes LocalPortForwarding when clientVersion ≥ this. */
  muxClient: "1.1.70",
  /** Client disables smux keepalive when agentVersion > this. */
  noKeepAliveAgent: "3.1.1511.0",
  /** Agent disables smux keepalive when clientVersion > this. */
  noKeepAliveClient: "1.2.331.0",
} as const;

/** The document property `type` that means local port forwarding (§7.2). */
export const LOCAL_PORT_FORWARDING = "LocalPortForwarding";

/** mux: smux v1 streams; basic: one TCP connection at a time; stream: stdin/stdout (SSH ProxyCommand). */
export type ClientPortMode = "mux" | "basic" | "stream";
export type AgentPortMode = "mux" | "basic";

const pluginGreater = (version: string, threshold: string): boolean =>
  comparePluginVersions(version, threshold) === 1;

/** The `type` property of the session's document (the handshake's SessionType properties), if any. */
export function portForwardingType(properties: unknown): string | undefined {
  if (properties === null || typeof properties !== "object") return undefined;
  const type = (properties as { type?: unknown }).type;
  return typeof type === "string" && type !== "" ? type : undefined;
}

/**
 * §7.2, client side: LocalPortForwarding with an agent > 3.0.196.0 is mux, with an older (or unparsable,
 * or absent) agent version basic; any other document (no `type`, e.g. AWS-StartSSHSession) is stream.
 */
export function clientPortMode(agentVersion: string, properties: unknown): ClientPortMode {
  if (portForwardingType(properties) !== LOCAL_PORT_FORWARDING) return "stream";
  return pluginGreater(agentVersion, VERSION_THRESHOLDS.muxAgent) ? "mux" : "basic";
}

/**
 * §7.2, agent side: LocalPortForwarding with a client ≥ 1.1.70 is mux, else basic. `endOnDestinationClose`:
 * without LocalPortForwarding the destination's EOF ends the session (§7.3, SSH).
 */
export function agentPortMode(
  clientVersion: string,
  properties: unknown,
): { mode: AgentPortMode; endOnDestinationClose: boolean } {
  const local = portForwardingType(properties) === LOCAL_PORT_FORWARDING;
  const mux = local && compareAgentVersions(clientVersion, VERSION_THRESHOLDS.muxClient) >= 0;
  return { mode: mux ? "mux" : "basic", endOnDestinationClose: !local };
}

/** §3.6: the client ends a port session with the TerminateSession flag (else the TerminateSession API). */
export function clientUsesTerminateFlag(agentVersion: string): boolean {
  return pluginGreater(agentVersion, VERSION_THRESHOLDS.terminateFlagAgent);
}

/** §3.6: whether the client's smux sends keepalive NOPs. */
export function clientSmuxKeepAlive(agentVersion: string): boolean {
  return !pluginGreater(agentVersion, VERSION_THRESHOLDS.noKeepAliveAgent);
}

/** §3.6: whether the agent's smux sends keepalive NOPs. */
export function agentSmuxKeepAlive(clientVersion: string): boolean {
  return !(compareAgentVersions(clientVersion, VERSION_THRESHOLDS.noKeepAliveClient) > 0);
}
