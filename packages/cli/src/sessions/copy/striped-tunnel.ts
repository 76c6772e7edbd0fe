// The tunnel under `tobira cp`: N port sessions to the instance's sshd (AWS-StartPortForwardingSession, mux
// mode) striped behind one loopback listener, so each of the N parallel ssh connections rides its own session
// and the short probe and verify steps ride whichever is free (no extra StartSession for them).
import { createServer, type Server, type Socket } from "node:net";
import { PORT_FORWARDING_DOCUMENT } from "../port/port-mappings.js";
import { type ResumablePortSession, startPortSession } from "../port/resumable-port-session.js";
import type { SessionAccess } from "../port/session-access.js";
import { PortSessionPool, startTogether } from "../port/session-pool.js";

export interface StripedTunnel {
  localPort: number;
  pool: PortSessionPool;
  /** Ends every session (flag, then the API) and the listener. */
  close(): Promise<void>;
}

export interface TunnelRequest {
  target: string;
  /** The sshd port on the instance. */
  port: number;
  sessions: number;
  reason?: string | undefined;
  notice: (line: string) => void;
}

export async function openStripedTunnel(
  access: SessionAccess,
  request: TunnelRequest,
): Promise<StripedTunnel> {
  const server = await listenLoopback();
  const sockets = new Set<Socket>();
  let sessions: ResumablePortSession[] = [];
  try {
    sessions = await startAll(access, request, server);
    await Promise.all(sessions.map((session) => session.ready));
  } catch (error) {
    server.close();
    await Promise.all(sessions.map((session) => session.terminate()));
    throw error;
  }
  const pool = new PortSessionPool(sessions);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("error", () => {});
    socket.resume();
    pool.connect(socket).then(
      () => sockets.delete(socket),
      () => {
        sockets.delete(socket);
        socket.destroy();
      },
    );
  });
  const address = server.address();
  return {
    localPort: typeof address === "object" && address !== null ? address.port : 0,
    pool,
    async close() {
      server.close();
      await Promise.all(sessions.map((session) => session.terminate()));
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** Every session started together; if one cannot start, the others are ended and its error is thrown. */
function startAll(
  access: SessionAccess,
  request: TunnelRequest,
  server: Server,
): Promise<ResumablePortSession[]> {
  const address = server.address();
  const localPort = typeof address === "object" && address !== null ? address.port : 0;
  const document = {
    documentName: PORT_FORWARDING_DOCUMENT,
    parameters: { portNumber: [String(request.port)], localPortNumber: [String(localPort)] },
  };
  return startTogether(request.sessions, () =>
    startPortSession(
      access,
      {
        target: request.target,
        ...document,
        ...(request.reason === undefined ? {} : { reason: request.reason }),
      },
      { notice: request.notice },
    ),
  );
}

function listenLoopback(): Promise<Server> {
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}
