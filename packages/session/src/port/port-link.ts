// What a port adapter needs of a data channel, whichever role: send bytes (PayloadType 1) with
// back-pressure, send a Flag, and hold back incoming data (left unacked, so the sender resends it, §4.4).

import type { AgentDataChannel } from "../session/agent-data-channel.js";
import type { ClientDataChannel } from "../session/client-data-channel.js";

export interface PortLink {
  /** Queues bytes as Output frames; resolves when the channel accepted them. */
  send(bytes: Uint8Array): Promise<void>;
  sendFlag(flag: number): Promise<void>;
  /** While false, incoming data frames are not taken (not acknowledged); true takes them again. */
  setAccepting(accepting: boolean): void;
}

/** The client's channel as a port link (incoming Output is wired by the caller to the adapter's receive). */
export function clientPortLink(
  channel: Pick<ClientDataChannel, "sendInput" | "sendFlag" | "acceptOutput">,
): PortLink {
  return linkOver(channel, "sendInput", "acceptOutput");
}

/** The agent's channel as a port link (incoming input is wired by the caller to the adapter's receive). */
export function agentPortLink(
  channel: Pick<AgentDataChannel, "write" | "sendFlag" | "acceptInput">,
): PortLink {
  return linkOver(channel, "write", "acceptInput");
}

/** One link for both roles: they differ only in the names of the methods that send and hold back. */
function linkOver<Send extends string, Accept extends string>(
  channel: Pick<PortLink, "sendFlag"> &
    Record<Send, PortLink["send"]> &
    Record<Accept, PortLink["setAccepting"]>,
  send: Send,
  accept: Accept,
): PortLink {
  return {
    send: (bytes) => channel[send](bytes),
    sendFlag: (flag) => channel.sendFlag(flag),
    setAccepting: (accepting) => channel[accept](accepting),
  };
}
