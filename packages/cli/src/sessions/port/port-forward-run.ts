// `tobira port`: one port session per LOCAL:REMOTE mapping on one target (or N with --sessions N, striped by
// session-pool.ts), a local listener for each, every accepted connection carried as its own stream (mux mode),
// a line for each thing the user must know (opened, connection refused at the destination, reconnects,
// session ends) and Ctrl-C ending every session cleanly (Flag TerminateSession, then the TerminateSession API).
import { createServer, type Server, type Socket } from "node:net";
import { UsageError } from "../../errors.js";
import { chosenProfile, type ProfileAccessOptions } from "../ssm/profile-access.js";
import type { TargetChoiceOptions } from "../ssm/target-choice.js";
import { type PortMapping, parsePortMappings, portForwardingDocument } from "./port-mappings.js";
import {
  type PortSessionOutcome,
  type ResumablePortSession,
  startPortSession,
} from "./resumable-port-session.js";
import { SessionAccess } from "./session-access.js";
import { type PoolMember, PortSessionPool, startTogether } from "./session-pool.js";

export interface PortForwardOptions {
  target: string;
  mappings: string[];
  /** --host: the destination as the instance sees it (AWS-StartPortForwardingSessionToRemoteHost). */
  host?: string;
  /** --bind, default 127.0.0.1. */
  bind?: string;
  profile?: string;
  reason?: string;
  /** --quiet: no line per connection. */
  quiet?: boolean;
  /** --sessions: how many sessions each mapping's connections are spread over (default 1). */
  sessions?: number;
  access?: ProfileAccessOptions;
  choice?: TargetChoiceOptions;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

interface Forward {
  mapping: PortMapping;
  server: Server;
  localPort: number;
  pool?: PortSessionPool;
  sockets: Set<Socket>;
  /** Connections accepted before the sessions existed; handed to them once they do. */
  early: Socket[];
  onConnection?: (socket: Socket) => void;
}

function listen(mapping: PortMapping, bind: string): Promise<Forward> {
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new UsageError(`cannot listen on ${bind}:${mapping.localPort} (${error.code ?? error.message})`, {
          hint:
            error.code === "EADDRINUSE"
              ? `another program uses local port ${mapping.localPort}: choose another LOCAL port, or 0 for a free one`
              : "check --bind (an address of this machine) and the LOCAL port",
        }),
      );
    });
    server.listen(mapping.localPort, bind, () => {
      const address = server.address();
      const localPort = typeof address === "object" && address !== null ? address.port : mapping.localPort;
      const forward: Forward = { mapping, server, localPort, sockets: new Set(), early: [] };
      server.on("connection", (socket: Socket) => {
        if (forward.pool === undefined) forward.early.push(socket);
        else forward.onConnection?.(socket);
      });
      resolve(forward);
    });
  });
}

export async function runPortForward(options: PortForwardOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const tell = (line: string) => stderr.write(`${line}\n`);
  const mappings = parsePortMappings(options.mappings);
  const host = options.host?.trim();
  if (options.host !== undefined && host === "") {
    throw new UsageError("--host is empty", {
      hint: "give the remote host as the instance sees it, e.g. 10.0.1.11",
    });
  }
  // Listen first: a busy local port is refused before any session is started (nothing to clean up remotely).
  const forwards = await listenAll(mappings, options.bind ?? "127.0.0.1");
  const signals = new StopSignals();
  let access: SessionAccess | undefined;
  let exitCode = 0;
  try {
    access = await SessionAccess.open(chosenProfile(options.profile), {
      ...options.access,
      notice: (line) => tell(`tobira: ${line}`),
    });
    const target = await access.target(options.target, options.choice ?? {});
    const where =
      host === undefined ? `${target.name || target.id}` : `${host} (through ${target.name || target.id})`;
    const opener = {
      access,
      target: target.id,
      host,
      where,
      options,
      tell,
      say: (line: string) => stdout.write(`${line}\n`),
    };
    for (const forward of forwards) {
      if (signals.interrupted !== undefined) break;
      await openForward(forward, opener);
    }
    // Run until Ctrl-C or until every session has ended by itself.
    const allEnded = Promise.all(
      forwards.map((forward) =>
        watchForward(forward, signals, tell).then((code) => {
          exitCode = Math.max(exitCode, code);
        }),
      ),
    );
    await Promise.race([allEnded, signals.woken]);
  } catch (error) {
    await endAll(forwards);
    throw error;
  } finally {
    signals.dispose();
    if (signals.interrupted !== undefined) await endInterrupted(forwards, signals.interrupted, tell);
    for (const forward of forwards) forward.server.close();
    access?.close();
  }
  return signals.interrupted === "SIGINT" ? 0 : signals.interrupted !== undefined ? 143 : exitCode;
}

/** One listener per mapping; if one cannot listen, those already listening are closed again. */
async function listenAll(mappings: PortMapping[], bind: string): Promise<Forward[]> {
  const forwards: Forward[] = [];
  try {
    for (const mapping of mappings) forwards.push(await listen(mapping, bind));
  } catch (error) {
    for (const forward of forwards) forward.server.close();
    throw error;
  }
  return forwards;
}

/** SIGINT, SIGTERM and SIGHUP while the sessions run: which came first, and a promise that wakes the run. */
class StopSignals {
  interrupted: NodeJS.Signals | undefined;
  readonly woken: Promise<void>;
  private wake: () => void = () => {};
  private readonly onInt = () => this.stop("SIGINT");
  private readonly onTerm = () => this.stop("SIGTERM");

  constructor() {
    this.woken = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    process.on("SIGINT", this.onInt);
    process.on("SIGTERM", this.onTerm);
    process.on("SIGHUP", this.onTerm);
  }

  private stop(signal: NodeJS.Signals): void {
    this.interrupted ??= signal;
    this.wake();
  }

  dispose(): void {
    process.off("SIGINT", this.onInt);
    process.off("SIGTERM", this.onTerm);
    process.off("SIGHUP", this.onTerm);
  }
}

interface ForwardOpener {
  access: SessionAccess;
  target: string;
  host: string | undefined;
  /** The destination as the lines name it. */
  where: string;
  options: PortForwardOptions;
  tell: (line: string) => void;
  say: (line: string) => void;
}

/** Starts the sessions of one mapping, hands them the connections accepted so far, and waits until they are ready. */
async function openForward(forward: Forward, opener: ForwardOpener): Promise<void> {
  const { options, tell, say } = opener;
  const sessions = await startSessions(forward, opener, options.sessions ?? 1);
  const pool = new PortSessionPool(sessions);
  forward.pool = pool;
  for (const session of sessions) say(`Starting session with SessionId: ${session.sessionId}`);
  const quiet = options.quiet === true;
  forward.onConnection = (socket) => accept(forward, pool, socket, quiet, tell);
  for (const socket of forward.early.splice(0)) accept(forward, pool, socket, quiet, tell);
  await Promise.all(sessions.map((session) => session.ready));
  const ids = sessions.map((session) => session.sessionId);
  say(
    `Port ${forward.localPort} opened for ${ids.length === 1 ? "session" : "sessions"} ${ids.join(", ")}. Waiting for connections...`,
  );
}

/** `count` sessions of one mapping, started together; if one cannot start, those that did are ended. */
function startSessions(
  forward: Forward,
  opener: ForwardOpener,
  count: number,
): Promise<ResumablePortSession[]> {
  const { access, options, tell } = opener;
  const document = portForwardingDocument({ ...forward.mapping, localPort: forward.localPort }, opener.host);
  const request = {
    target: opener.target,
    ...document,
    ...(options.reason === undefined ? {} : { reason: options.reason }),
  };
  const events = {
    notice: tell,
    onConnectError: () =>
      tell(
        `Connection to destination port failed: ${opener.where} refused or could not reach port ${forward.mapping.remotePort} (ConnectToPortError). The listener on port ${forward.localPort} stays open.`,
      ),
  };
  return startTogether(count, () => startPortSession(access, request, events));
}

/** One accepted connection as its own stream of the session, and a line when it closes (unless --quiet). */
function accept(
  forward: Forward,
  pool: PortSessionPool,
  socket: Socket,
  quiet: boolean,
  tell: (line: string) => void,
): void {
  forward.sockets.add(socket);
  socket.setNoDelay(true);
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  // Who closed first decides the line: our reader (local EOF) or the destination (remote EOF → we finish).
  let first: "local" | "remote" | undefined;
  socket.once("end", () => {
    first ??= "local";
  });
  socket.once("finish", () => {
    first ??= "remote";
  });
  socket.on("error", () => {});
  socket.resume();
  pool.connect(socket).then(
    () => {
      forward.sockets.delete(socket);
      if (quiet) return;
      tell(
        first === "remote"
          ? `Connection from ${peer} to port ${forward.localPort} closed by the remote side.`
          : first === "local"
            ? `Connection from ${peer} to port ${forward.localPort} closed by the local client.`
            : `Connection from ${peer} to port ${forward.localPort} ended.`,
      );
    },
    (error: unknown) => {
      forward.sockets.delete(socket);
      socket.destroy();
      tell(`Connection from ${peer} to port ${forward.localPort} failed: ${(error as Error).message}`);
    },
  );
}

/** Ctrl-C or a termination: every open session ended, each said so. */
async function endInterrupted(
  forwards: Forward[],
  signal: NodeJS.Signals,
  tell: (line: string) => void,
): Promise<void> {
  const open = forwards.flatMap((f) => f.pool?.members.filter((member) => member.live) ?? []);
  tell(`${signal === "SIGINT" ? "Ctrl-C" : signal}: ending ${open.length} session(s)...`);
  await endAll(forwards);
  for (const member of open) tell(`Session ${member.session.sessionId} terminated.`);
}

/**
 * Waits for every session of one mapping to end by itself (not on Ctrl-C): each that ends while others live
 * gets its line, the last one closes the listener. Resolves with the exit code the ends imply.
 */
async function watchForward(
  forward: Forward,
  signals: StopSignals,
  tell: (line: string) => void,
): Promise<number> {
  const pool = forward.pool;
  if (pool === undefined) return 0;
  const codes = await Promise.all(
    pool.members.map((member) =>
      member.session.ended.then((outcome) => {
        if (signals.interrupted !== undefined) return 0;
        if (pool.liveCount() > 0) return reportMemberEnd(forward, pool, member, outcome, tell);
        return reportEnd(forward, member.session.sessionId, outcome, tell);
      }),
    ),
  );
  forward.server.close();
  for (const socket of forward.sockets) socket.destroy();
  return Math.max(0, ...codes);
}

/** One of a mapping's sessions ended while others still serve its port: which, why, and how many are left. */
function reportMemberEnd(
  forward: Forward,
  pool: PortSessionPool,
  member: PoolMember,
  outcome: PortSessionOutcome,
  tell: (line: string) => void,
): number {
  const which = `session ${member.session.sessionId} (${member.number} of ${pool.size}) of port ${forward.localPort}`;
  const left = `Port ${forward.localPort} goes on with ${pool.liveCount()} of ${pool.size} sessions.`;
  if (outcome.failure === undefined) {
    const by =
      outcome.end.reason === "channel-closed"
        ? " by the service (TerminateSession, a session timeout, or the agent)"
        : "";
    tell(`tobira: ${which} was ended${by}; its open connections closed. ${left}`);
    return 0;
  }
  tell(`tobira: ${which} failed: ${outcome.failure.message}`);
  if (outcome.failure.hint) tell(`  hint: ${outcome.failure.hint}`);
  tell(left);
  return 1;
}

/** The line for the last session of a mapping that ended on its own, and the exit code it implies. */
function reportEnd(
  forward: Forward,
  sessionId: string,
  outcome: PortSessionOutcome,
  tell: (line: string) => void,
): number {
  if (outcome.failure !== undefined) {
    tell(`tobira: ${outcome.failure.message}`);
    if (outcome.failure.hint) tell(`  hint: ${outcome.failure.hint}`);
    tell(`Port ${forward.localPort} closed.`);
    return 1;
  }
  tell(`Exiting session with sessionId: ${sessionId}. Port ${forward.localPort} closed.`);
  return 0;
}

async function endAll(forwards: Forward[]): Promise<void> {
  for (const forward of forwards) forward.server.close();
  await Promise.all(
    forwards.flatMap((forward) => forward.pool?.members.map((member) => member.session.terminate()) ?? []),
  );
  for (const forward of forwards)
    for (const socket of [...forward.sockets, ...forward.early]) socket.destroy();
}
