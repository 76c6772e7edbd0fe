// `tobira port`: one port session per LOCAL:REMOTE mapping on one target, a local listener for each, every
// accepted connection carried as its own stream (mux mode), a line for each thing the user must know
// (opened, connection refused at the destination, reconnects, session ends) and Ctrl-C ending every session
// cleanly (Flag TerminateSession, then the TerminateSession API).
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
  access?: ProfileAccessOptions;
  choice?: TargetChoiceOptions;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

interface Forward {
  mapping: PortMapping;
  server: Server;
  localPort: number;
  session?: ResumablePortSession;
  sockets: Set<Socket>;
  /** Connections accepted before the session existed; handed to it once it does. */
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
        if (forward.session === undefined) forward.early.push(socket);
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
        forward.session?.ended.then((outcome) => {
          if (signals.interrupted === undefined)
            exitCode = Math.max(exitCode, reportEnd(forward, outcome, tell));
          forward.server.close();
          for (const socket of forward.sockets) socket.destroy();
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

/** Starts the session of one mapping, hands it the connections accepted so far, and waits until it is ready. */
async function openForward(forward: Forward, opener: ForwardOpener): Promise<void> {
  const { access, options, tell, say } = opener;
  const document = portForwardingDocument({ ...forward.mapping, localPort: forward.localPort }, opener.host);
  const session = await startPortSession(
    access,
    {
      target: opener.target,
      ...document,
      ...(options.reason === undefined ? {} : { reason: options.reason }),
    },
    {
      notice: tell,
      onConnectError: () =>
        tell(
          `Connection to destination port failed: ${opener.where} refused or could not reach port ${forward.mapping.remotePort} (ConnectToPortError). The listener on port ${forward.localPort} stays open.`,
        ),
    },
  );
  forward.session = session;
  say(`Starting session with SessionId: ${session.sessionId}`);
  const quiet = options.quiet === true;
  forward.onConnection = (socket) => accept(forward, session, socket, quiet, tell);
  for (const socket of forward.early.splice(0)) accept(forward, session, socket, quiet, tell);
  await session.ready;
  say(`Port ${forward.localPort} opened for session ${session.sessionId}. Waiting for connections...`);
}

/** One accepted connection as its own stream of the session, and a line when it closes (unless --quiet). */
function accept(
  forward: Forward,
  session: ResumablePortSession,
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
  session.port.connect(socket).then(
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
  const open = forwards.filter((f) => f.session !== undefined);
  tell(`${signal === "SIGINT" ? "Ctrl-C" : signal}: ending ${open.length} session(s)...`);
  await endAll(forwards);
  for (const forward of open) tell(`Session ${forward.session!.sessionId} terminated.`);
}

/** The line for a session that ended on its own, and the exit code it implies. */
function reportEnd(forward: Forward, outcome: PortSessionOutcome, tell: (line: string) => void): number {
  const sessionId = forward.session?.sessionId ?? "";
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
  await Promise.all(forwards.map((forward) => forward.session?.terminate()));
  for (const forward of forwards)
    for (const socket of [...forward.sockets, ...forward.early]) socket.destroy();
}
