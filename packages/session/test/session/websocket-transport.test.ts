import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { WebSocket, WebSocketServer } from "ws";
import { websocketTransport } from "../../src/adapter/websocket-transport.js";
import { parseOpenDataChannel } from "../../src/codec/open-data-channel.js";
import { openAgentDataChannel } from "../../src/session/agent-data-channel.js";
import { openClientDataChannel } from "../../src/session/client-data-channel.js";
import { FakeKms } from "../support/fake-kms.js";

/**
 * A bare relay on 127.0.0.1 standing in for the gateway: the first socket is the client, the second the agent;
 * each side's first text frame (OpenDataChannel) is kept for inspection, binary frames are passed across.
 */
function startRelay(): Promise<{ server: WebSocketServer; port: number; openFrames: string[] }> {
  return new Promise((resolve) => {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    const openFrames: string[] = [];
    const sockets: WebSocket[] = [];
    server.on("connection", (socket) => {
      sockets.push(socket);
      socket.on("message", (data, isBinary) => {
        if (!isBinary) {
          openFrames.push(data.toString());
          return;
        }
        const peer = sockets.find((s) => s !== socket);
        peer?.send(data, { binary: true });
      });
      socket.on("close", () => {
        for (const s of sockets) if (s !== socket) s.close();
      });
    });
    server.on("listening", () =>
      resolve({ server, port: (server.address() as AddressInfo).port, openFrames }),
    );
  });
}

function connect(port: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/data-channel/s-1?role=publish_subscribe`);
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

describe("websocketTransport over real ws sockets on loopback", () => {
  let relay: Awaited<ReturnType<typeof startRelay>>;
  before(async () => {
    relay = await startRelay();
  });
  after(() => new Promise<void>((resolve) => relay.server.close(() => resolve())));

  it("carries a KMS shell session: open frames as text, the rest binary, exit code through", {
    timeout: 20_000,
  }, async () => {
    const kms = new FakeKms();
    const clientSocket = await connect(relay.port);
    const agentSocket = await connect(relay.port);
    const output: Buffer[] = [];
    const input: Buffer[] = [];
    let exitCode: number | undefined;
    const client = openClientDataChannel({
      transport: websocketTransport(clientSocket),
      token: "token-x",
      sessionId: "s-1",
      targetId: "i-1",
      generateDataKey: kms.generateDataKey,
      onOutput: (b) => output.push(Buffer.from(b)),
      onExit: (c) => {
        exitCode = c;
      },
    });
    const agent = openAgentDataChannel({
      transport: websocketTransport(agentSocket),
      sessionId: "s-1",
      targetId: "i-1",
      sessionType: "Standard_Stream",
      open: { token: "agent-token", clientId: "agent-client" },
      kms: { keyId: "k", decrypt: kms.decrypt },
      onInput: (b) => {
        input.push(Buffer.from(b));
        void agent.write(Buffer.from(`you typed ${Buffer.concat(input).toString()}`));
      },
    });
    const info = await client.ready;
    assert.equal(info.customerMessage, "This session is encrypted using AWS KMS.");
    await client.sendInput(Buffer.from("ls"));
    while (Buffer.concat(output).toString() !== "you typed ls") await new Promise((r) => setTimeout(r, 5));
    await agent.exit(3, { reportExitCode: true });
    const end = await client.ended;
    assert.equal(exitCode, 3);
    assert.equal(end.reason, "transport-closed");
    const opens = relay.openFrames.map((f) => parseOpenDataChannel(f));
    assert.deepEqual(opens.map((o) => o.ok && o.value.TokenValue).sort(), ["agent-token", "token-x"]);
  });
});

describe("websocketTransport keepalive", () => {
  it("offers ping when the socket has it: a real ws ping with application data 'keepalive' (§1.6)", {
    timeout: 10_000,
  }, async () => {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((resolve) => server.once("listening", resolve));
    const pinged = new Promise<string>((resolve) =>
      server.once("connection", (socket) => socket.once("ping", (data) => resolve(data.toString()))),
    );
    const socket = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await new Promise((resolve) => socket.once("open", resolve));
    const transport = websocketTransport(socket);
    assert.equal(typeof transport.ping, "function");
    transport.ping?.();
    assert.equal(await pinged, "keepalive");
    const withoutPing = websocketTransport({ send() {}, close() {}, on: () => undefined });
    assert.equal(withoutPing.ping, undefined);
    socket.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
