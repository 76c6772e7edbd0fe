// How the sandbox's simulated SSM agents behave where the real agent is fixed or the sandbox must differ.

export interface AgentOptions {
  /**
   * Milliseconds one preference minute lasts (idleSessionTimeout, maxSessionDuration). 60 000 as AWS counts;
   * tests shorten it so a "1 minute" idle timeout fires in a fraction of a second.
   */
  preferenceMinuteMs?: number;
  /** The shell a Standard_Stream session starts (the agent starts `sh`; its shell profile may exec bash). */
  shell?: string;
  /** The shell that runs InteractiveCommands / NonInteractiveCommands `commands` (`sh -c …`). */
  commandShell?: string;
  /** 4-part numeric, as the official plugin needs (§3.6). */
  agentVersion?: string;
  /** Handshake waits (15 s each in the agent, §5.7). */
  handshakeTimeoutMs?: number;
  challengeTimeoutMs?: number;
  /** Terminal size until the client sends one (the agent's pty starts at its default). */
  initialSize?: { cols: number; rows: number };
  /**
   * Data frames the agent sends per second. The real agent's readers send one frame and sleep 1 ms (§9), so
   * its ceiling is about 1000/s, the gateway's limit: the sandbox paces there too, not at the 900/s a client
   * keeps to for safety. Infinity disables pacing.
   */
  framesPerSecond?: number;
}

export interface ResolvedAgentOptions {
  preferenceMinuteMs: number;
  shell: string;
  commandShell: string;
  agentVersion: string;
  handshakeTimeoutMs: number;
  challengeTimeoutMs: number;
  initialSize: { cols: number; rows: number };
  framesPerSecond: number;
}

export function resolveAgentOptions(options: AgentOptions = {}): ResolvedAgentOptions {
  return {
    preferenceMinuteMs: options.preferenceMinuteMs ?? 60_000,
    shell: options.shell ?? "sh",
    commandShell: options.commandShell ?? "sh",
    agentVersion: options.agentVersion ?? "3.3.987.0",
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 15_000,
    challengeTimeoutMs: options.challengeTimeoutMs ?? 15_000,
    initialSize: options.initialSize ?? { cols: 80, rows: 24 },
    framesPerSecond: options.framesPerSecond ?? 1000,
  };
}
