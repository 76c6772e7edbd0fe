// The `http` service of one world instance: an HTTP server on 127.0.0.1 that serves the generated files
// (/files/NAME), an index of them with sizes and sha256s (/), and /health; every answer names the instance.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pipeline } from "node:stream/promises";
import type { Instance } from "../world/model.js";
import {
  findGeneratedFile,
  GENERATED_FILES,
  generatedFileSha256,
  generatedFileStream,
} from "./generated-files.js";
import type { ServiceAddress } from "./service-address.js";

/** Response header naming the instance that served a request. */
export const SERVED_BY_HEADER = "x-tobira-instance";

export interface HttpIndex {
  instance: { id: string; name: string };
  files: { name: string; path: string; size: number; sha256: string }[];
}

export class HttpService {
  readonly #server: Server;

  private constructor(
    server: Server,
    readonly address: ServiceAddress,
  ) {
    this.#server = server;
  }

  static async start(instance: Instance): Promise<HttpService> {
    const server = createServer((request, response) => {
      response.setHeader(SERVED_BY_HEADER, `${instance.id} (${instance.name})`);
      serve(instance, request, response).catch((error: unknown) => {
        if (!response.headersSent) answer(response, 500, `internal error: ${(error as Error).message}\n`);
        else response.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    return new HttpService(server, { host: "127.0.0.1", port });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}

function answer(
  response: ServerResponse,
  status: number,
  body: string,
  type = "text/plain; charset=utf-8",
): void {
  response.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  response.end(body);
}

export async function httpIndex(instance: Instance): Promise<HttpIndex> {
  return {
    instance: { id: instance.id, name: instance.name },
    files: await Promise.all(
      GENERATED_FILES.map(async (file) => ({
        name: file.name,
        path: `/files/${file.name}`,
        size: file.size,
        sha256: await generatedFileSha256(file),
      })),
    ),
  };
}

async function serve(instance: Instance, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const method = request.method ?? "GET";
  if (method !== "GET" && method !== "HEAD") {
    response.setHeader("allow", "GET, HEAD");
    answer(response, 405, `${method} is not supported here; use GET.\n`);
    return;
  }
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (path === "/health") {
    answer(response, 200, `ok ${instance.id} ${instance.name}\n`);
    return;
  }
  if (path === "/" || path === "/index.json") {
    answer(response, 200, `${JSON.stringify(await httpIndex(instance), null, 2)}\n`, "application/json");
    return;
  }
  const file = path.startsWith("/files/") ? findGeneratedFile(path.slice("/files/".length)) : undefined;
  if (file === undefined) {
    answer(response, 404, `No ${path} here. GET / lists the files.\n`);
    return;
  }
  response.writeHead(200, {
    "content-type": "application/octet-stream",
    "content-length": file.size,
    "x-content-sha256": await generatedFileSha256(file),
  });
  if (method === "HEAD") {
    response.end();
    return;
  }
  await pipeline(generatedFileStream(file), response);
}
