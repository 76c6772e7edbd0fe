// Two data channel transports joined back to back in memory: what one end sends, the other receives, in
// order. The gateway keeps one end and hands the other to the in-process agent (the agent's own websocket
// to MGS, without a socket).

import type { DataChannelTransport, TransportCloseInfo, TransportData } from "@tobira/session";

interface LinkEnd {
  messageListeners: ((data: TransportData) => void)[];
  closeListeners: ((info: TransportCloseInfo) => void)[];
}

export interface MemoryLink {
  /** For the gateway. */
  gatewayEnd: DataChannelTransport;
  /** For the agent. */
  agentEnd: DataChannelTransport;
}

export function createMemoryLink(): MemoryLink {
  const a: LinkEnd = { messageListeners: [], closeListeners: [] };
  const b: LinkEnd = { messageListeners: [], closeListeners: [] };
  let closed = false;
  const close = (code?: number, reason?: string): void => {
    if (closed) return;
    closed = true;
    const info: TransportCloseInfo = {
      ...(code === undefined ? {} : { code }),
      ...(reason ? { reason } : {}),
    };
    for (const end of [a, b]) for (const listener of end.closeListeners) listener(info);
  };
  const endOf = (self: LinkEnd, peer: LinkEnd): DataChannelTransport => ({
    send(data) {
      if (closed) return;
      // Copy bytes: the receiver may keep them while the sender reuses its buffer.
      const copy = typeof data === "string" ? data : Uint8Array.from(data);
      for (const listener of peer.messageListeners) listener(copy);
    },
    close,
    onMessage(listener) {
      self.messageListeners.push(listener);
    },
    onClose(listener) {
      self.closeListeners.push(listener);
    },
  });
  return { gatewayEnd: endOf(a, b), agentEnd: endOf(b, a) };
}
