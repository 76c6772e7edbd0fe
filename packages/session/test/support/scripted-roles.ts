// One role over a ScriptedTransport, the test playing the gateway: the channel with what it delivered and
// reported collected.

import { ManualClock } from "../../src/clock.js";
import { type AgentDataChannelOptions, openAgentDataChannel } from "../../src/session/agent-data-channel.js";
import {
  type ClientDataChannelOptions,
  openClientDataChannel,
} from "../../src/session/client-data-channel.js";
import type { DataChannelDiagnostic } from "../../src/session/data-channel-core.js";
import { ScriptedTransport } from "./memory-transport.js";

type Collect<T> = (item: T) => void;

/** A channel of either role over a scripted gateway, with what it delivered (as text) and reported. */
function overScriptedGateway<C>(
  open: (
    transport: ScriptedTransport,
    deliver: Collect<Uint8Array>,
    report: Collect<DataChannelDiagnostic>,
  ) => C,
) {
  const t = new ScriptedTransport();
  const got: string[] = [];
  const diagnostics: DataChannelDiagnostic[] = [];
  const channel = open(
    t,
    (bytes) => got.push(Buffer.from(bytes).toString()),
    (diagnostic) => diagnostics.push(diagnostic),
  );
  return { t, channel, got, diagnostics };
}

/** The client over a scripted gateway; `got` is its output as text. `options` override the defaults. */
export function scriptedClient(options: Partial<ClientDataChannelOptions> = {}) {
  const { channel: client, ...rest } = overScriptedGateway((transport, onOutput, onDiagnostic) =>
    openClientDataChannel({
      transport,
      token: "t",
      clock: new ManualClock(),
      onOutput,
      onDiagnostic,
      ...options,
    }),
  );
  return { client, ...rest };
}

/** The agent over a scripted gateway; `got` is its input as text. `options` override the defaults. */
export function scriptedAgent(options: Partial<AgentDataChannelOptions> = {}) {
  const { channel: agent, ...rest } = overScriptedGateway((transport, onInput, onDiagnostic) =>
    openAgentDataChannel({
      transport,
      sessionId: "s",
      targetId: "i",
      sessionType: "Standard_Stream",
      clock: new ManualClock(),
      onInput,
      onDiagnostic,
      ...options,
    }),
  );
  return { agent, ...rest };
}
