// Port sessions (AWS-StartPortForwardingSession, …ToRemoteHost, AWS-StartSSHSession) as the agent runs
// them (§7.2–§7.4): the destination is the instance's own port or a remote host the world lets it reach,
// served by the sandbox's local services; mux (smux server) or basic mode by the client's version; each
// connection dials the local service; a failed dial is ConnectToPortError in mux mode and ends a basic
// session, with the reason in the services log.

import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import {
  agentPortLink,
  agentPortMode,
  agentSmuxKeepAlive,
  BasicPortServer,
  MuxPortServer,
} from "@tobira/session";
import type { LocalServices } from "../local-services/local-services.js";
import { formatAddress, type ServiceAddress } from "../local-services/service-address.js";
import { localServicesFor } from "../local-services/service-directory.js";
import { deniedHostRefusal, destinationOf, portRequestOf } from "./port-destination.js";
import type { PluginContext, RunningPlugin, SessionPlugin } from "./session-plugin.js";

/** smux keepalive interval when the client is old enough to expect NOPs (§7.4: 10 s). */
const SMUX_KEEPALIVE_MS = 10_000;

/** A connection the destination refused or that could not be made; its message says which and why. */
export class DestinationUnreachableError extends Error {
  override readonly name = "DestinationUnreachableError";
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

function dialTcp(address: ServiceAddress): Promise<Socket> {
  return new Promise((resolve, reject) => {
    // Half-open kept: one side's EOF must not close the other direction (smux FIN semantics).
    const socket = connect({ host: address.host, port: address.port, allowHalfOpen: true });
    socket.once("connect", () => {
      socket.off("error", reject);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

/** Dials the session's destination once per connection; every failure is noted in the services log. */
function destinationDialer(context: PluginContext): () => Promise<Duplex> {
  const { session, instance } = context;
  const services: LocalServices | undefined = localServicesFor(instance);
  const request = portRequestOf(session);
  const note = (line: string) => services?.log.note(`session ${session.sessionId}: ${line}`);
  const fail = (reason: string, hint: string): never => {
    note(`${reason} ${hint}`);
    throw new DestinationUnreachableError(reason, hint);
  };
  return async () => {
    if ("refusal" in request) return fail(request.refusal, "Pass portNumber=1..65535.");
    if (services === undefined) {
      return fail(
        `The sandbox runs no local services for ${instance.id}.`,
        "Start the sandbox with startSandbox() so the world's instance ports are served.",
      );
    }
    const destination = destinationOf(services.world, instance, request);
    if (!destination.ok) return fail(destination.reason, destination.hint ?? "");
    const resolved = await services.resolve(destination.instance, destination.port);
    if (!resolved.ok) return fail(resolved.reason, resolved.hint ?? "");
    try {
      const socket = await dialTcp(resolved.address);
      // One line per connection and session: which session carried what (striped clients spread theirs).
      note(`connection to ${destination.label} opened`);
      return socket;
    } catch (error) {
      return fail(
        `${destination.label} (${resolved.service} at ${formatAddress(resolved.address)}) refused the connection: ${(error as Error).message}`,
        "See the sandbox's local-services.log.",
      );
    }
  };
}

function start(context: PluginContext): RunningPlugin {
  const { channel, session } = context;
  const dial = destinationDialer(context);
  let resolveExited!: (code: number) => void;
  const exited = new Promise<number>((resolve) => {
    resolveExited = resolve;
  });
  let done = false;
  let adapter: MuxPortServer | BasicPortServer | undefined;
  /** Input and flags that arrive before the mode is chosen (a microtask after start). */
  let early: ({ bytes: Uint8Array } | { flag: number })[] | undefined = [];
  const finish = (code: number) => {
    if (done) return;
    done = true;
    if (adapter instanceof MuxPortServer) adapter.close();
    else adapter?.stop();
    resolveExited(code);
  };

  void channel.ready.then(
    (info) => {
      if (done) return;
      const link = agentPortLink(channel);
      const { mode, endOnDestinationClose } = agentPortMode(info.clientVersion, session.properties);
      if (mode === "mux") {
        adapter = new MuxPortServer({
          link,
          dial: () => dial(),
          tuning: { keepAliveIntervalMs: agentSmuxKeepAlive(info.clientVersion) ? SMUX_KEEPALIVE_MS : 0 },
          onTerminate: () => finish(0),
          onClose: (error) => finish(error === undefined ? 0 : 1),
        });
      } else {
        const basic = new BasicPortServer({
          link,
          dial,
          endOnDestinationClose,
          onEnd: (end) => finish(end.reason === "destination-failed" ? 1 : 0),
        });
        adapter = basic;
        basic.start();
      }
      const held = early ?? [];
      early = undefined;
      for (const item of held) {
        if ("flag" in item) adapter.flag(item.flag);
        else adapter.receive(item.bytes);
      }
    },
    () => finish(1),
  );

  return {
    input(bytes) {
      if (early !== undefined) early.push({ bytes });
      else adapter?.receive(bytes);
    },
    resize: () => {},
    flag(flag) {
      if (early !== undefined) early.push({ flag });
      else adapter?.flag(flag);
    },
    exited,
    stop: () => finish(0),
  };
}

export const portForwardingPlugin: SessionPlugin = {
  /** What the agent refuses before it connects anywhere: a missing port, a host on its deny list. */
  refusal(session) {
    const request = portRequestOf(session);
    if ("refusal" in request) return request.refusal;
    return request.host === "" ? undefined : deniedHostRefusal(request.host);
  },
  start,
};
