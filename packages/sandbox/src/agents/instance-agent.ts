// One world instance's SSM agent: serves a session over a data channel transport the gateway attaches —
// Run As, the handshake (KMS data key decrypted as the instance role), the session type's plugin, the
// preferences' timeouts and the transcript — and reports how the session ended.

import { type DataChannelTransport, openAgentDataChannel, PACING, SessionType } from "@tobira/session";
import type { SandboxHost } from "../server/runtime.js";
import type { SessionRecord } from "../services/ssm/session-store.js";
import type { Instance } from "../world/model.js";
import type { ResolvedAgentOptions } from "./agent-options.js";
import { nonInteractiveCommandPlugin } from "./command-plugin.js";
import { instanceDecrypt } from "./instance-kms.js";
import { portForwardingPlugin } from "./port-forwarding-plugin.js";
import { interactiveCommandPlugin, shellPlugin } from "./pty-shell-plugin.js";
import { resolveRunAs } from "./run-as.js";
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

/** The plugin for each session type; a port-forwarding plugin replaces `portPlugin`. */
export const SESSION_PLUGINS: Readonly<Record<string, SessionPlugin>> = {
  [SessionType.StandardStream]: shellPlugin,
  [SessionType.InteractiveCommands]: interactiveCommandPlugin,
  [SessionType.NonInteractiveCommands]: nonInteractiveCommandPlugin,
  [SessionType.Port]: portForwardingPlugin,
};

export class InstanceAgent {
  constructor(
    readonly instance: Instance,
    private readonly host: SandboxHost,
    private readonly stateDir: string,
    private readonly options: ResolvedAgentOptions,
    private readonly plugins: Readonly<Record<string, SessionPlugin>> = SESSION_PLUGINS,
  ) {}

  openSession(session: SessionRecord, transport: DataChannelTransport): AgentSession {
    let resolveEnded!: (outcome: AgentSessionOutcome) => void;
    const ended = new Promise<AgentSessionOutcome>((resolve) => {
      resolveEnded = resolve;
    });
    let finished = false;
    const cleanups: (() => void)[] = [];
    const finish = (outcome: AgentSessionOutcome): void => {
      if (finished) return;
      finished = true;
      for (const cleanup of cleanups) cleanup();
      resolveEnded(outcome);
    };
    const refuse = (reason: string): AgentSession => {
      finish({ status: "Failed", output: reason });
      transport.close(1000, "session refused");
      return { ended, terminate: () => {} };
    };

    const plugin = this.plugins[session.sessionType];
    if (plugin === undefined) return refuse(`Session type ${session.sessionType} is not supported.`);
    const refusal = plugin.refusal?.(session);
    if (refusal !== undefined) return refuse(refusal);
    const runAs = resolveRunAs(session, { stateDir: this.stateDir, processUid: process.getuid?.() ?? -1 });
    if (!runAs.ok) return refuse(`Unable to start the session: ${runAs.reason}`);
    const identity = runAs.identity;

    const transcript = new SessionTranscript(this.stateDir, session.sessionId);
    cleanups.push(() => transcript.close());
    const record = (bytes: Uint8Array | string) => transcript.append(bytes);
    let running: RunningPlugin | undefined;
    let timers: SessionTimers | undefined;
    cleanups.push(() => timers?.stop());
    /** Why the session is being ended from this side (timeout, TerminateSession), for channel_closed. */
    let endMessage: string | undefined;
    let exitCode: number | undefined;
    const kmsKeyId = session.preferences.kmsKeyId;
    const { options } = this;

    const channel = openAgentDataChannel({
      transport,
      sessionId: session.sessionId,
      targetId: this.instance.id,
      sessionType: session.sessionType,
      properties: session.properties,
      agentVersion: options.agentVersion,
      ...(kmsKeyId === ""
        ? {}
        : { kms: { keyId: kmsKeyId, decrypt: instanceDecrypt(this.host, this.instance) } }),
      ...(identity.note === undefined ? {} : { customerMessage: identity.note }),
      handshakeTimeoutMs: options.handshakeTimeoutMs,
      challengeTimeoutMs: options.challengeTimeoutMs,
      tuning: { framesPerSecond: options.framesPerSecond },
      acceptInput: false,
      onInput: (bytes) => {
        timers?.activity();
        running?.input(bytes);
      },
      onResize: (size) => {
        timers?.activity();
        running?.resize(size);
      },
      onFlag: (flag) => running?.flag(flag),
      onEnd: (end) => {
        running?.stop();
        finish({
          status: end.reason === "failed" ? "Failed" : "Terminated",
          output: end.error?.message ?? endMessage ?? "",
          ...(exitCode === undefined ? {} : { exitCode }),
        });
      },
    });

    const run = async (): Promise<void> => {
      const info = await channel.ready;
      // Without a handshake there is no CustomerMessage: the Run As note goes out as the first output.
      if (identity.note !== undefined && !info.handshake) {
        const line = `${identity.note}\r\n`;
        record(line);
        await channel.write(Buffer.from(line));
      }
      const work = plugin.start({
        session,
        instance: this.instance,
        identity,
        channel,
        options,
        frameBytes: PACING.maxPayloadBytes,
        record,
      });
      running = work;
      channel.acceptInput(true);
      timers = new SessionTimers(
        session.sessionId,
        {
          idleSessionTimeout: session.preferences.idleSessionTimeout,
          maxSessionDuration: session.preferences.maxSessionDuration,
          minuteMs: options.preferenceMinuteMs,
        },
        (message) => {
          endMessage = message;
          const text = Buffer.from(`\r\n${message}\r\n`);
          record(text);
          const told =
            session.sessionType === SessionType.NonInteractiveCommands
              ? channel.writeStderr(text)
              : channel.write(text);
          void told.catch(() => {}).finally(() => work.stop());
        },
      );
      const code = await work.exited;
      exitCode = code;
      timers.stop();
      const reportExitCode =
        session.sessionType === SessionType.NonInteractiveCommands || options.reportShellExitCode;
      await channel.exit(code, { reportExitCode });
    };
    // A failed handshake rejects `ready` and has already ended the channel (onEnd reported it).
    run().catch(() => channel.close());

    return {
      ended,
      terminate(output = "") {
        endMessage ??= output;
        running?.stop();
        channel.close();
      },
    };
  }
}
