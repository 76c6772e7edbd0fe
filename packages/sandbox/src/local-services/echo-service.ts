// The `echo` service of a world instance: a TCP server on 127.0.0.1 that sends back every byte it receives
// and closes its side once the peer has closed its own (half-close kept, so a client can shut down writing
// and still read the rest of the echo).

import { createServer, type Server, type Socket } from "node:net";
import type { ServiceAddress } from "./service-address.js";

export class EchoService {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(
    server: Server,
    readonly address: ServiceAddress,
  ) {
    this.#server = server;
    server.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
      socket.on("error", () => socket.destroy());
      // pipe() ends our writing side when the peer's ends, and honours back-pressure.
      socket.pipe(socket);
    });
  }

  static async start(): Promise<EchoService> {
    const server = createServer({ allowHalfOpen: true });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("echo service has no TCP address");
    return new EchoService(server, { host: "127.0.0.1", port: address.port });
  }

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
