// One session an instance agent serves once it has accepted it: opens the data channel (handshake, KMS data
// key decrypted as the instance role), starts the session type's plugin as the Run As user, runs the
// preferences' timeouts, keeps the transcript, and reports how the session ended.

import {
  type AgentDataChannel,
  type DataChannelTransport,
  openAgentDataChannel,
  PACING,
  SessionType,
} from "@tobira/session";
import type { SandboxHost } from "../server/runtime.js";
import type { SessionRecord } from "../services/ssm/session-store.js";
import type { Instance } from "../world/model.js";
import type { ResolvedAgentOptions } from "./agent-options.js";
import { instanceDecrypt } from "./instance-kms.js";
import type { OsIdentity } from "./run-as.js";
import type { RunningPlugin, SessionPlugin } from "./session-plugin.js";
import { SessionTimers } from "./session-timers.js";
import { SessionTranscript } from "./session-transcript.js";

/** How a session ended, for channel_closed and the session's status. */
export interface AgentSessionOutcome {
  status: "Terminated" | "Failed";
  /** channel_closed's Output: empty on a normal end, else what went wrong or why it was ended. */
  output: string;
  exitCode?: number;
}

export interface AgentSession {
  readonly ended: Promise<AgentSessionOutcome>;
  /** Ends the session from outside (TerminateSession, the sandbox stopping); `output` goes to channel_closed. */
  terminate(output?: string): void;
}

/** What the agent decided before serving: the session, its transport, the plugin and the Run As identity. */
export interface SessionSetup {
  session: SessionRecord;
  transport: DataChannelTransport;
  instance: Instance;
  host: SandboxHost;
  stateDir: string;
  options: ResolvedAgentOptions;
  plugin: SessionPlugin;
  identity: OsIdentity;
}

/** A session the agent refuses before its data channel opens: failed at once, the transport closed. */
export function refusedSession(transport: DataChannelTransport, reason: string): AgentSession {
  const ended = Promise.resolve<AgentSessionOutcome>({ status: "Failed", output: reason });
  transport.close(1000, "session refused");
  return { ended, terminate: () => {} };
}

export class ServedSession implements AgentSession {
  readonly ended: Promise<AgentSessionOutcome>;
  #resolveEnded!: (outcome: AgentSessionOutcome) => void;
  #finished = false;
  readonly #setup: SessionSetup;
  readonly #transcript: SessionTranscript;
  readonly #channel: AgentDataChannel;
  #running: RunningPlugin | undefined;
  #timers: SessionTimers | undefined;
  /** Why the session is being ended from this side (timeout, TerminateSession), for channel_closed. */
  #endMessage: string | undefined;
  #exitCode: number | undefined;

  constructor(setup: SessionSetup) {
    this.ended = new Promise<AgentSessionOutcome>((resolve) => {
      this.#resolveEnded = resolve;
    });
    this.#setup = setup;
    this.#transcript = new SessionTranscript(setup.stateDir, setup.session.sessionId);
    this.#channel = this.#openChannel();
    // A failed handshake rejects `ready` and has already ended the channel (onEnd reported it).
    this.#run().catch(() => this.#channel.close());
  }

  terminate(output = ""): void {
    this.#endMessage ??= output;
    this.#running?.stop();
    this.#channel.close();
  }

  readonly #record = (bytes: Uint8Array | string): void => this.#transcript.append(bytes);

  #finish(outcome: AgentSessionOutcome): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#transcript.close();
    this.#timers?.stop();
    this.#resolveEnded(outcome);
  }

  #openChannel(): AgentDataChannel {
    const { session, transport, instance, host, options, identity } = this.#setup;
    const kmsKeyId = session.preferences.kmsKeyId;
    return openAgentDataChannel({
      transport,
      sessionId: session.sessionId,
      targetId: instance.id,
      sessionType: session.sessionType,
      properties: session.properties,
      agentVersion: options.agentVersion,
      ...(kmsKeyId === "" ? {} : { kms: { keyId: kmsKeyId, decrypt: instanceDecrypt(host, instance) } }),
      ...(identity.note === undefined ? {} : { customerMessage: identity.note }),
      handshakeTimeoutMs: options.handshakeTimeoutMs,
      challengeTimeoutMs: options.challengeTimeoutMs,
      tuning: { framesPerSecond: options.framesPerSecond },
      acceptInput: false,
      onInput: (bytes) => {
        this.#timers?.activity();
        this.#running?.input(bytes);
      },
      onResize: (size) => {
        this.#timers?.activity();
        this.#running?.resize(size);
      },
      onFlag: (flag) => this.#running?.flag(flag),
      onEnd: (end) => {
        this.#running?.stop();
        this.#finish({
          status: end.reason === "failed" ? "Failed" : "Terminated",
          output: end.error?.message ?? this.#endMessage ?? "",
          ...(this.#exitCode === undefined ? {} : { exitCode: this.#exitCode }),
        });
      },
    });
  }

  async #run(): Promise<void> {
    const { session, instance, options, identity, plugin } = this.#setup;
    const channel = this.#channel;
    const info = await channel.ready;
    // Without a handshake there is no CustomerMessage: the Run As note goes out as the first output.
    if (identity.note !== undefined && !info.handshake) {
      const line = `${identity.note}\r\n`;
      this.#record(line);
      await channel.write(Buffer.from(line));
    }
    const work = plugin.start({
      session,
      instance,
      identity,
      channel,
      options,
      frameBytes: PACING.maxPayloadBytes,
      record: this.#record,
    });
    this.#running = work;
    channel.acceptInput(true);
    const timers = this.#startTimers(work);
    this.#timers = timers;
    const code = await work.exited;
    this.#exitCode = code;
    timers.stop();
    await channel.exit(code, { reportExitCode: this.#reportsExitCode() });
  }

  /**
   * EXIT_CODE as the agent sends it: for NonInteractiveCommands, never for a session ended from outside (a
   * cancelled command reports none), and for shells only when the world asks (`agents.reportShellExitCode`).
   */
  #reportsExitCode(): boolean {
    if (this.#endMessage !== undefined) return false;
    const { session, host } = this.#setup;
    if (session.sessionType === SessionType.NonInteractiveCommands) return true;
    const shell =
      session.sessionType === SessionType.StandardStream ||
      session.sessionType === SessionType.InteractiveCommands;
    return shell && host.runtime.world.agents?.reportShellExitCode === true;
  }

  #startTimers(work: RunningPlugin): SessionTimers {
    const { session, options } = this.#setup;
    return new SessionTimers(
      session.sessionId,
      {
        idleSessionTimeout: session.preferences.idleSessionTimeout,
        maxSessionDuration: session.preferences.maxSessionDuration,
        minuteMs: options.preferenceMinuteMs,
      },
      (message) => this.#announceEnd(message, work),
    );
  }

  /**
   * A timeout ends the session. Session Manager says why in channel_closed alone (the official plugin prints
   * `SessionId: … : <why>`), never in the session's stream, so nothing is written to it here.
   */
  #announceEnd(message: string, work: RunningPlugin): void {
    this.#endMessage = message;
    work.stop();
  }
}
