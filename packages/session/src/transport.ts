// The websocket-like link a data channel runs over: the core never opens a socket, it is handed one.

/** A whole WebSocket message: binary frames as bytes, text frames as a string. */
export type TransportData = Uint8Array | string;

export interface TransportCloseInfo {
  code?: number;
  reason?: string;
}

/**
 * What the data channel needs of a WebSocket. `send` of a string must go out as a text frame, of bytes as a
 * binary frame. Listeners registered with onMessage/onClose are called for every later message/close.
 */
export interface DataChannelTransport {
  send(data: TransportData): void;
  close(code?: number, reason?: string): void;
  onMessage(listener: (data: TransportData) => void): void;
  onClose(listener: (info: TransportCloseInfo) => void): void;
  /** Optional WebSocket ping (keepalive, §1.6); the core calls it when the caller schedules pings. */
  ping?(): void;
}
