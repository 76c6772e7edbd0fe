// A port session end to end in memory: the client's openClientPortSession and an agent running the
// matching port adapter, joined by the FaultyRelay on a ManualClock; destinations are in-memory streams.

import { createHash } from "node:crypto";
import type { Duplex } from "node:stream";
import { ManualClock } from "../../src/clock.js";
import type { MuxTuning } from "../../src/mux/mux-session.js";
import type { MuxStream } from "../../src/mux/mux-stream.js";
import { BasicPortServer, type BasicPortServerEnd } from "../../src/port/basic-port-server.js";
import {
  type ClientPortSession,
  type ClientPortSessionOptions,
  openClientPortSession,
} from "../../src/port/client-port-session.js";
import { MuxPortServer } from "../../src/port/mux-port-server.js";
import { agentPortLink } from "../../src/port/port-link.js";
import { agentPortMode } from "../../src/port/version-rules.js";
import { type AgentDataChannel, openAgentDataChannel } from "../../src/session/agent-data-channel.js";
import type { DataChannelTuning } from "../../src/session/data-channel-core.js";
import { FaultyRelay, type FrameFaults } from "../../src/testing/faulty-relay.js";
import { settle } from "./memory-transport.js";

export interface PortHarnessOptions {
  seed?: number;
  faults?: FrameFaults;
  properties?: unknown;
  agentVersion?: string;
  clientVersion?: string;
  /** The agent's destination: return a Duplex or throw. */
  dial: (streamId: number | undefined) => Promise<Duplex>;
  client?: Partial<ClientPortSessionOptions>;
  serverMux?: MuxTuning;
  tuning?: DataChannelTuning;
}

export interface PortHarness {
  clock: ManualClock;
  relay: FaultyRelay;
  session: ClientPortSession;
  agent: AgentDataChannel;
  agentFlags: number[];
  agentEnds: BasicPortServerEnd[];
  agentMode: () => string | undefined;
  muxServer: () => MuxPortServer | undefined;
  /** Advances simulated time until `done()` or the budget runs out; true when done. */
  runUntil: (done: () => boolean, budgetMs?: number, stepMs?: number) => Promise<boolean>;
}

export const FAST_TUNING: DataChannelTuning = {
  retransmitPolicy: "all-overdue",
  framesPerSecond: 4000,
  burstFrames: 200,
};

export function portHarness(options: PortHarnessOptions): PortHarness {
  const clock = new ManualClock();
  const faults = options.faults ?? {};
  const relay = new FaultyRelay({
    clock,
    seed: options.seed ?? 1,
    latencyMs: 3,
    toAgent: faults,
    toClient: faults,
  });
  const properties = options.properties ?? { type: "LocalPortForwarding", portNumber: "80" };
  const agentFlags: number[] = [];
  const agentEnds: BasicPortServerEnd[] = [];
  let mux: MuxPortServer | undefined;
  let basic: BasicPortServer | undefined;
  let mode: string | undefined;
  const tuning = options.tuning ?? FAST_TUNING;
  const agent = openAgentDataChannel({
    transport: relay.agentEnd,
    sessionId: "s-1",
    targetId: "i-1",
    sessionType: "Port",
    properties,
    ...(options.agentVersion === undefined ? {} : { agentVersion: options.agentVersion }),
    clock,
    tuning,
    acceptInput: false,
    onInput: (bytes) => (mux ?? basic)?.receive(bytes),
    onFlag: (flag) => {
      agentFlags.push(flag);
      (mux ?? basic)?.flag(flag);
    },
  });
  void agent.ready.then((info) => {
    const choice = agentPortMode(info.clientVersion, properties);
    mode = choice.mode;
    const link = agentPortLink(agent);
    if (choice.mode === "mux") {
      mux = new MuxPortServer({
        link,
        clock,
        dial: (stream: MuxStream) => options.dial(stream.id),
        ...(options.serverMux === undefined ? {} : { tuning: options.serverMux }),
      });
    } else {
      basic = new BasicPortServer({
        link,
        dial: () => options.dial(undefined),
        endOnDestinationClose: choice.endOnDestinationClose,
        onEnd: (end) => agentEnds.push(end),
      });
      basic.start();
    }
  });
  const session = openClientPortSession({
    transport: relay.connectClient(),
    token: "token-0",
    clientId: "2b1e0000-0000-4000-8000-000000000001",
    sessionId: "s-1",
    targetId: "i-1",
    clock,
    tuning,
    ...(options.clientVersion === undefined ? {} : { clientVersion: options.clientVersion }),
    ...options.client,
  });
  const runUntil = async (done: () => boolean, budgetMs = 600_000, stepMs = 10): Promise<boolean> => {
    for (let t = 0; t < budgetMs; t += stepMs) {
      if (done()) return true;
      clock.advance(stepMs);
      await settle();
    }
    return done();
  };
  return {
    clock,
    relay,
    session,
    agent,
    agentFlags,
    agentEnds,
    agentMode: () => mode,
    muxServer: () => mux,
    runUntil,
  };
}

/** Deterministic bytes of a given size (a counter run through sha256 blocks). */
export function generatedBytes(size: number, seed = "tobira"): Buffer {
  const out = Buffer.alloc(size);
  let offset = 0;
  for (let i = 0; offset < size; i++) {
    const block = createHash("sha256").update(`${seed}:${i}`).digest();
    block.copy(out, offset);
    offset += block.length;
  }
  return out;
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Collects everything a readable yields. */
export function collect(readable: Duplex): { chunks: Buffer[]; ended: boolean; bytes: () => Buffer } {
  const state = { chunks: [] as Buffer[], ended: false, bytes: () => Buffer.concat(state.chunks) };
  readable.on("data", (chunk: Buffer) => state.chunks.push(chunk));
  readable.on("end", () => {
    state.ended = true;
  });
  return state;
}

/** Writes `data` in slices, respecting back-pressure, then ends. */
export async function writeAll(writable: Duplex, data: Uint8Array, slice = 16 * 1024): Promise<void> {
  for (let offset = 0; offset < data.length; offset += slice) {
    if (!writable.write(data.subarray(offset, offset + slice)))
      await new Promise<void>((resolve) => writable.once("drain", resolve));
  }
  writable.end();
}
