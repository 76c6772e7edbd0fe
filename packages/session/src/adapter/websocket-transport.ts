// Adapts a `ws` WebSocket (or anything shaped like it) to the DataChannelTransport the core speaks.

import type { DataChannelTransport, TransportCloseInfo, TransportData } from "../transport.js";

/** The part of the `ws` package's WebSocket this adapter uses; structural so the core needs no `ws` import. */
export interface WebSocketLike {
  send(data: Uint8Array | string, options: { binary?: boolean | undefined }): void;
  close(code?: number, reason?: string): void;
  on(event: "message", listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: "close", listener: (code: number, reason: Uint8Array) => void): unknown;
  /** `ws` has it; when present the transport offers ping (application data "keepalive", §1.6). */
  ping?(data?: Uint8Array | string): void;
}

/** Bytes of a `ws` message, whichever of its shapes (Buffer, ArrayBuffer, Buffer[]) it arrived in. */
function messageBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) return Buffer.concat(data as Uint8Array[]);
  return new Uint8Array(0);
}

export function websocketTransport(socket: WebSocketLike): DataChannelTransport {
  const transport: DataChannelTransport = {
    send(data: TransportData) {
      socket.send(data, { binary: typeof data !== "string" });
    },
    close(code?: number, reason?: string) {
      socket.close(code, reason);
    },
    onMessage(listener) {
      socket.on("message", (data, isBinary) => {
        if (isBinary) listener(messageBytes(data));
        else listener(Buffer.from(messageBytes(data)).toString("utf8"));
      });
    },
    onClose(listener: (info: TransportCloseInfo) => void) {
      socket.on("close", (code, reason) => listener({ code, reason: Buffer.from(reason).toString("utf8") }));
    },
  };
  if (typeof socket.ping === "function") transport.ping = () => socket.ping?.("keepalive");
  return transport;
}
