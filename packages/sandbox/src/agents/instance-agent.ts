// One world instance's SSM agent: decides whether it serves a session over the data channel transport the
// gateway attaches — a plugin for the session type, the plugin's own refusal, Run As — and serves it.

import { type DataChannelTransport, SessionType } from "@tobira/session";
import type { SandboxHost } from "../server/runtime.js";
import type { SessionRecord } from "../services/ssm/session-store.js";
import type { Instance } from "../world/model.js";
import type { ResolvedAgentOptions } from "./agent-options.js";
import { type AgentSession, refusedSession, ServedSession } from "./agent-session.js";
import { nonInteractiveCommandPlugin } from "./command-plugin.js";
import { portForwardingPlugin } from "./port-forwarding-plugin.js";
import { interactiveCommandPlugin, shellPlugin } from "./pty-shell-plugin.js";
import { agentOwnIdentity, resolveRunAs } from "./run-as.js";
import type { SessionPlugin } from "./session-plugin.js";

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
    const plugin = this.plugins[session.sessionType];
    if (plugin === undefined)
      return refusedSession(transport, `Session type ${session.sessionType} is not supported.`);
    const refusal = plugin.refusal?.(session);
    if (refusal !== undefined) return refusedSession(transport, refusal);
    // Run As is the shell plugin's: port forwarding runs inside the agent, so AWS neither refuses a port
    // session for its Run As user nor says anything about one.
    const runAs =
      session.sessionType === SessionType.Port
        ? { ok: true as const, identity: agentOwnIdentity() }
        : resolveRunAs(session, { stateDir: this.stateDir, processUid: process.getuid?.() ?? -1 });
    if (!runAs.ok) return refusedSession(transport, `Unable to start the session: ${runAs.reason}`);
    // The world lists the instance's users: the agent cannot start a process as one that is not there.
    const users = this.instance.osUsers;
    if (users !== undefined && !users.includes(runAs.identity.user))
      return refusedSession(
        transport,
        `Unable to start command: failed to start pty since RunAs user ${runAs.identity.user} does not exist`,
      );
    return new ServedSession({
      session,
      transport,
      instance: this.instance,
      host: this.host,
      stateDir: this.stateDir,
      options: this.options,
      plugin,
      identity: runAs.identity,
    });
  }
}
