// What a session handler (shell, command, later port forwarding) gives the agent: a running piece of work
// that takes the client's input and sizes and ends with an exit code. The agent picks one per session type.

import type { AgentDataChannel, TerminalSize } from "@tobira/session";
import type { SessionRecord } from "../services/ssm/session-store.js";
import type { Instance } from "../world/model.js";
import type { ResolvedAgentOptions } from "./agent-options.js";
import type { OsIdentity } from "./run-as.js";

export interface PluginContext {
  session: SessionRecord;
  instance: Instance;
  identity: OsIdentity;
  channel: AgentDataChannel;
  options: ResolvedAgentOptions;
  /** Largest payload per frame. */
  frameBytes: number;
  /** Every byte the client is sent, for the transcript. */
  record: (bytes: Uint8Array) => void;
}

export interface RunningPlugin {
  /** Client input (PayloadType 1, already decrypted). */
  input(bytes: Uint8Array): void;
  resize(size: TerminalSize): void;
  flag(flag: number): void;
  /** Resolves with the exit status once the work ended and all its output was queued on the channel. */
  readonly exited: Promise<number>;
  /** Ends the work now (TerminateSession, a timeout, the sandbox stopping). */
  stop(): void;
}

export interface SessionPlugin {
  /** A reason to refuse the session before its data channel opens (goes to channel_closed's Output). */
  refusal?(session: SessionRecord): string | undefined;
  start(context: PluginContext): RunningPlugin;
}

/** The `commands` of a command document's linux properties (AWS-StartInteractiveCommand and co.). */
export function linuxProperties(session: SessionRecord): Record<string, unknown> {
  const linux = session.properties.linux;
  return linux !== null && typeof linux === "object" ? (linux as Record<string, unknown>) : {};
}

/** The refusal of a command session (interactive or not) whose document gives no linux commands to run. */
export function missingCommandsRefusal(session: SessionRecord): string | undefined {
  const commands = linuxProperties(session).commands;
  return typeof commands === "string" && commands.trim() !== ""
    ? undefined
    : `Document ${session.documentName} has no linux commands to run.`;
}

/** 128 + signal number, as a shell reports a process killed by a signal. */
export function signalExitCode(signal: NodeJS.Signals | number | null | undefined): number {
  if (typeof signal === "number") return signal > 0 ? 128 + signal : 0;
  if (!signal) return 0;
  const numbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
  return 128 + (numbers[signal] ?? 0);
}
