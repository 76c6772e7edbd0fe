import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../../src/clock.js";
import { decodeFrame } from "../../src/codec/frame.js";
import { parseOpenDataChannel } from "../../src/codec/open-data-channel.js";
import { type AgentDataChannelOptions, openAgentDataChannel } from "../../src/session/agent-data-channel.js";
import {
  type ClientDataChannelOptions,
  openClientDataChannel,
} from "../../src/session/client-data-channel.js";
import type { DataChannelDiagnostic, DataChannelEnd } from "../../src/session/data-channel-core.js";
import { FakeKms } from "../support/fake-kms.js";
import { memoryTransportPair, runFor, settle } from "../support/memory-transport.js";

const SESSION_ID = "alice-0123456789abcdef0";
const TARGET_ID = "i-0123456789abcdef0";
const KEY_ID = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString("utf8");

function session(
  setup: { agent?: Partial<AgentDataChannelOptions>; client?: Partial<ClientDataChannelOptions> } = {},
) {
  const clock = new ManualClock();
  const { a, b } = memoryTransportPair(clock, { latencyMs: 5 });
  const seen = {
    output: [] as Uint8Array[],
    stderr: [] as Uint8Array[],
    exit: [] as number[],
    input: [] as Uint8Array[],
    resize: [] as { cols: number; rows: number }[],
    clientEnd: [] as DataChannelEnd[],
    agentEnd: [] as DataChannelEnd[],
    clientDiagnostics: [] as DataChannelDiagnostic[],
    agentDiagnostics: [] as DataChannelDiagnostic[],
  };
  const client = openClientDataChannel({
    transport: a,
    token: "token-1",
    clientId: "2b1e0000-0000-4000-8000-000000000001",
    sessionId: SESSION_ID,
    targetId: TARGET_ID,
    clock,
    onOutput: (b) => seen.output.push(b),
    onStderr: (b) => seen.stderr.push(b),
    onExit: (c) => seen.exit.push(c),
    onEnd: (e) => seen.clientEnd.push(e),
    onDiagnostic: (d) => seen.clientDiagnostics.push(d),
    ...setup.client,
  });
  const agent = openAgentDataChannel({
    transport: b,
    sessionId: SESSION_ID,
    targetId: TARGET_ID,
    sessionType: "Standard_Stream",
    clock,
    onInput: (bytes) => seen.input.push(bytes),
    onResize: (s) => seen.resize.push(s),
    onEnd: (e) => seen.agentEnd.push(e),
    onDiagnostic: (d) => seen.agentDiagnostics.push(d),
    ...setup.agent,
  });
  return { clock, a, b, client, agent, seen };
}

/** Binary frames one end sent, decoded. */
function framesSent(sent: (Uint8Array | string)[]) {
  return sent.flatMap((d) => {
    if (typeof d === "string") return [];
    const r = decodeFrame(d);
    return r.ok ? [r.message] : [];
  });
}

describe("client and agent over an in-memory transport", () => {
  it("plain shell without KMS: no handshake, output, input, resize, exit code", async () => {
    const { clock, a, client, agent, seen } = session();
    const open = parseOpenDataChannel(a.sent[0] as string);
    assert.equal(open.ok && open.value.TokenValue, "token-1");
    assert.equal(open.ok && open.value.ClientVersion, "1.2.764.0");

    void agent.write(Buffer.from("sh-5.2$ "));
    await runFor(clock, 20);
    const info = await client.ready;
    assert.deepEqual(info, {
      sessionType: "Standard_Stream",
      properties: null,
      agentVersion: "",
      encrypted: false,
      handshake: false,
      customerMessage: "",
    });
    assert.equal(text(seen.output), "sh-5.2$ ");

    await client.resize(120, 40);
    await client.sendInput(Buffer.from("echo $USER\r"));
    await runFor(clock, 20);
    assert.deepEqual(seen.resize, [{ cols: 120, rows: 40 }]);
    assert.equal(text(seen.input), "echo $USER\r");

    // The agent's first output carries SYN; the client's input frames carry no flags (§2.2).
    const clientFrames = framesSent(a.sent).filter((m) => m.messageType === "input_stream_data");
    assert.deepEqual(
      clientFrames.map((m) => [m.sequenceNumber, m.payloadType, m.flags]),
      [
        [0, 3, 0],
        [1, 1, 0],
      ],
    );

    const exiting = agent.exit(3, { reportExitCode: true });
    await runFor(clock, 50);
    await exiting;
    assert.deepEqual(seen.exit, [3]);
    assert.equal(seen.agentEnd[0]?.reason, "closed");
    assert.equal(seen.clientEnd[0]?.reason, "transport-closed");
    assert.deepEqual(client.stats().outgoing.inFlight, 0);
    // The only thing the agent set aside is the client's OpenDataChannel text (no gateway in between here).
    assert.deepEqual(
      seen.agentDiagnostics.filter((d) => d.kind !== "ignored"),
      [],
    );
    assert.deepEqual(
      seen.clientDiagnostics.filter((d) => d.kind !== "ignored"),
      [],
    );
  });

  it("agent frames: SYN on sequence 0 only", async () => {
    const { clock, b, agent } = session();
    void agent.write(Buffer.from("one"));
    void agent.write(Buffer.from("two"));
    await runFor(clock, 20);
    const out = framesSent(b.sent).filter((m) => m.messageType === "output_stream_data");
    assert.deepEqual(
      out.map((m) => [m.sequenceNumber, m.flags]),
      [
        [0, 1],
        [1, 0],
      ],
    );
  });

  it("KMS shell: handshake, challenge, banner, and sealed payloads both ways", async () => {
    const kms = new FakeKms();
    const { clock, a, b, client, agent, seen } = session({
      client: { generateDataKey: kms.generateDataKey },
      agent: { kms: { keyId: KEY_ID, decrypt: kms.decrypt } },
    });
    await runFor(clock, 50);
    const info = await client.ready;
    assert.equal(info.encrypted, true);
    assert.equal(info.handshake, true);
    assert.equal(info.agentVersion, "3.3.987.0");
    assert.equal(info.customerMessage, "This session is encrypted using AWS KMS.");
    assert.deepEqual(await agent.ready, { clientVersion: "1.2.764.0", encrypted: true, handshake: true });
    assert.deepEqual(kms.generated, [
      {
        keyId: KEY_ID,
        encryptionContext: { "aws:ssm:SessionId": SESSION_ID, "aws:ssm:TargetId": TARGET_ID },
        numberOfBytes: 64,
      },
    ]);
    assert.deepEqual(kms.decrypted[0]?.encryptionContext, {
      "aws:ssm:SessionId": SESSION_ID,
      "aws:ssm:TargetId": TARGET_ID,
    });

    await client.sendInput(Buffer.from("secret typing"));
    void agent.write(Buffer.from("secret output"));
    void agent.writeStderr(Buffer.from("secret stderr"));
    await runFor(clock, 30);
    assert.equal(text(seen.input), "secret typing");
    assert.equal(text(seen.output), "secret output");
    assert.equal(text(seen.stderr), "secret stderr");

    // On the wire: the handshake sequence of §5.2, and no plaintext in sealed payloads (+28 bytes each).
    const agentOut = framesSent(b.sent).filter((m) => m.messageType === "output_stream_data");
    assert.deepEqual(
      agentOut.map((m) => m.payloadType),
      [5, 8, 7, 1, 11],
    );
    const clientIn = framesSent(a.sent).filter((m) => m.messageType === "input_stream_data");
    assert.deepEqual(
      clientIn.map((m) => m.payloadType),
      [6, 9, 1],
    );
    const sealed = [...agentOut.slice(3), clientIn[2]!];
    for (const m of sealed) {
      assert.equal(Buffer.from(m.payload).includes("secret"), false);
      assert.equal(m.payload.length, 13 + 28);
    }
  });

  it("KMS denied on the client: ActionStatus 2, the agent fails with the article's words, ready rejects", async () => {
    const { clock, client, seen } = session({
      client: {
        generateDataKey: async () => {
          throw new Error(
            "User: arn:aws:sts::111122223333:assumed-role/project-a/alice is not authorized to perform: kms:GenerateDataKey",
          );
        },
      },
      agent: { kms: { keyId: KEY_ID, decrypt: async () => new Uint8Array(64) } },
    });
    await assert.rejects(
      (async () => {
        await runFor(clock, 50);
        await client.ready;
      })(),
      { name: "DataKeyError" },
    );
    assert.equal(seen.agentEnd[0]?.reason, "failed");
    assert.equal(
      seen.agentEnd[0]?.error?.message,
      "Encountered error while initiating handshake. KMSEncryption failed on client with status 2 error: Failed to process action KMSEncryption: User: arn:aws:sts::111122223333:assumed-role/project-a/alice is not authorized to perform: kms:GenerateDataKey",
    );
  });

  it("KMS denied on the agent (Decrypt): the agent fails with a DataKeyError and the client sees the channel end", async () => {
    const kms = new FakeKms();
    const { clock, client, seen } = session({
      client: { generateDataKey: kms.generateDataKey },
      agent: {
        kms: {
          keyId: KEY_ID,
          decrypt: async () => {
            throw new Error("AccessDeniedException: instance role is not authorized to perform: kms:Decrypt");
          },
        },
      },
    });
    await runFor(clock, 50);
    await assert.rejects(client.ready);
    assert.equal(seen.agentEnd[0]?.error?.name, "DataKeyError");
    assert.match(seen.agentEnd[0]?.error?.message ?? "", /Fetching data key failed: AccessDeniedException/);
    assert.equal(seen.clientEnd[0]?.reason, "transport-closed");
  });

  it("a client without a KMS function cannot pass a KMS handshake", async () => {
    const { clock, client, seen } = session({
      agent: { kms: { keyId: KEY_ID, decrypt: async () => new Uint8Array(64) } },
    });
    await runFor(clock, 50);
    await assert.rejects(client.ready, { name: "DataKeyError" });
    assert.match(seen.agentEnd[0]?.error?.message ?? "", /failed on client with status 2/);
  });

  it("challenge acknowledgement: required by the agent, given by the client, RandomChallenge in both contexts", async () => {
    const kms = new FakeKms();
    const { clock, client } = session({
      client: { generateDataKey: kms.generateDataKey, acknowledgeChallenge: true },
      agent: { kms: { keyId: KEY_ID, decrypt: kms.decrypt, requireChallengeAcknowledgement: true } },
    });
    await runFor(clock, 50);
    assert.equal((await client.ready).encrypted, true);
    assert.ok(kms.generated[0]?.encryptionContext["aws:ssm:RandomChallenge"]);
    assert.deepEqual(kms.decrypted[0]?.encryptionContext, kms.generated[0]?.encryptionContext);
  });

  it("an agent that requires the acknowledgement refuses a client that does not give it", async () => {
    const kms = new FakeKms();
    const { clock, seen } = session({
      client: { generateDataKey: kms.generateDataKey },
      agent: { kms: { keyId: KEY_ID, decrypt: kms.decrypt, requireChallengeAcknowledgement: true } },
    });
    await runFor(clock, 50);
    assert.match(seen.agentEnd[0]?.error?.message ?? "", /did not acknowledge the KMS challenge/);
  });

  it("NonInteractiveCommands: handshake without KMS, stdout and stderr apart, EXIT_CODE by default", async () => {
    const { clock, client, agent, seen } = session({ agent: { sessionType: "NonInteractiveCommands" } });
    await runFor(clock, 30);
    const info = await client.ready;
    assert.deepEqual(
      [info.sessionType, info.handshake, info.encrypted],
      ["NonInteractiveCommands", true, false],
    );
    void agent.write(Buffer.from("out\n"));
    void agent.writeStderr(Buffer.from("err\n"));
    const exiting = agent.exit(7);
    await runFor(clock, 50);
    await exiting;
    assert.equal(text(seen.output), "out\n");
    assert.equal(text(seen.stderr), "err\n");
    assert.deepEqual(seen.exit, [7]);
  });

  it("Port: SessionType with properties reaches the client; KMS is never used for Port", async () => {
    const kms = new FakeKms();
    const properties = { portNumber: "80", type: "LocalPortForwarding", localPortNumber: "9999" };
    const { clock, client } = session({
      client: { generateDataKey: kms.generateDataKey },
      agent: { sessionType: "Port", properties, kms: { keyId: KEY_ID, decrypt: kms.decrypt } },
    });
    await runFor(clock, 30);
    const info = await client.ready;
    assert.deepEqual([info.sessionType, info.properties, info.encrypted], ["Port", properties, false]);
    assert.equal(kms.generated.length, 0);
  });

  it("large input is split into frames of at most maxPayloadBytes and reassembled in order", async () => {
    const { clock, client, agent, seen, a } = session({ client: { tuning: { maxPayloadBytes: 100 } } });
    void agent.write(Buffer.from("$ "));
    await runFor(clock, 20);
    const big = Buffer.from(Array.from({ length: 1050 }, (_, i) => 97 + (i % 26)));
    await client.sendInput(big);
    await runFor(clock, 100);
    assert.deepEqual(Buffer.concat(seen.input), big);
    const sizes = framesSent(a.sent)
      .filter((m) => m.messageType === "input_stream_data")
      .map((m) => m.payload.length);
    assert.deepEqual(sizes, [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 50]);
  });

  it("input sent before the session is ready waits for it and keeps its order", async () => {
    const { clock, client, agent, seen } = session();
    const early = [
      client.resize(80, 24),
      client.sendInput(Buffer.from("a")),
      client.sendInput(Buffer.from("b")),
    ];
    await runFor(clock, 20);
    assert.equal(seen.input.length, 0);
    void agent.write(Buffer.from("$ "));
    await runFor(clock, 30);
    await Promise.all(early);
    assert.deepEqual(seen.resize, [{ cols: 80, rows: 24 }]);
    assert.equal(text(seen.input), "ab");
  });

  it("an agent not yet accepting input leaves it unacked; the client resends until it is taken", async () => {
    const { clock, client, agent, seen } = session({ agent: { acceptInput: false } });
    void agent.write(Buffer.from("$ "));
    await runFor(clock, 20);
    await client.sendInput(Buffer.from("early"));
    await runFor(clock, 500);
    assert.equal(seen.input.length, 0);
    assert.ok(client.stats().outgoing.resends >= 1);
    agent.acceptInput(true);
    await runFor(clock, 1200);
    assert.equal(text(seen.input), "early");
    assert.equal(client.stats().outgoing.inFlight, 0);
  });

  it("close() from the client ends both sides", async () => {
    const { clock, client, agent, seen } = session();
    void agent.write(Buffer.from("$ "));
    await runFor(clock, 20);
    client.close();
    await settle();
    assert.equal((await client.ended).reason, "closed");
    assert.equal((await agent.ended).reason, "transport-closed");
    assert.equal(seen.agentEnd.length, 1);
    await assert.rejects(client.sendInput(Buffer.from("x")), { name: "ChannelClosedError" });
  });
});
