// A mux session carried over a port session's link: what both port roles (client and agent) give MuxSession,
// written once.
import type { Clock } from "../clock.js";
import { type MuxRole, MuxSession, type MuxTuning } from "../mux/mux-session.js";
import type { MuxStream } from "../mux/mux-stream.js";
import type { PortLink } from "./port-link.js";

/** The options both mux port roles take. */
export interface MuxLinkOptions {
  link: PortLink;
  tuning?: MuxTuning;
  clock?: Clock;
  /** The mux session ended (protocol error, failed send, keepalive timeout). */
  onClose?: (error?: Error) => void;
  onDiagnostic?: (reason: string) => void;
}

/**
 * Sends the session's bytes on the link, and stops reading the link while a stream is over its hard limit
 * (a peer that ignores credits): that is the only back-pressure the data channel offers. The link accepts
 * from the start.
 */
export function muxSessionOverLink(
  role: MuxRole,
  options: MuxLinkOptions,
  onStream?: (stream: MuxStream) => void,
): MuxSession {
  const session = new MuxSession({
    ...options.tuning,
    role,
    send: (bytes) => options.link.send(bytes),
    ...(onStream === undefined ? {} : { onStream }),
    onReceivePressure: (stalled) => options.link.setAccepting(!stalled),
    ...(options.onClose === undefined ? {} : { onClose: options.onClose }),
    ...(options.onDiagnostic === undefined ? {} : { onDiagnostic: options.onDiagnostic }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  options.link.setAccepting(true);
  return session;
}
