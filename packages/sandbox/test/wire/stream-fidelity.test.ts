// What a shell and a port session deliver to a client that speaks only the spec (generic-client.ts), byte for
// byte: the sandbox agent and gateway add nothing the real agent and MGS would not send — no EXIT_CODE for a
// shell unless the world asks for it, no Run As banner on port sessions, timeouts told in channel_closed
// alone — and where the sandbox does add something on purpose (its Run As note), exactly that.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TerminateSessionCommand } from "@aws-sdk/client-ssm";
import { findOsAccount } from "../../src/agents/os-users.js";
import type { SessionPreferences, World } from "../../src/world/model.js";
import { preferences, worldWith } from "../agents/agent-worlds.js";
import { DB_A, operatorSuite, WEB_A } from "../ssm/workload-clients.js";
import { type Closing, type Delivered, GenericClient } from "./generic-client.js";
import { PT } from "./spec-wire.js";

/** The sandbox cannot become os-user1 (no such account): its note says so, in these exact words. */
const RUN_AS_NOTE =
  "[tobira sandbox] Run As os-user1: the OS user os-user1 does not exist here; this session runs as the sandbox's own user with USER, LOGNAME and HOME set to os-user1.";
const skip = findOsAccount("os-user1") !== undefined && "os-user1 exists here: the Run As note differs";
/** dash's prompt for the sandbox's own user, which the session runs as. */
const PROMPT = process.getuid?.() === 0 ? "# " : "$ ";
const IDLE_TEXT = "Your session timed out due to inactivity and has been terminated.";
const SIZE = Buffer.from('{"cols":80,"rows":24}');
/** A preference minute lasts 300 ms here, so 1-minute timeouts fire quickly. */
const agents = { shell: "dash", preferenceMinuteMs: 300 };

function sessionWorld(change: (p: SessionPreferences) => void, edit: (w: World) => void = () => {}): World {
  return worldWith((world) => {
    preferences((p) => {
      p.shellProfile.linux = "";
      change(p);
    })(world);
    edit(world);
  });
}

const kmsOff = (p: SessionPreferences) => {
  p.kmsKeyId = "";
};

/** A shell's start as the official plugin makes it: Size first (§0.1), then wait for the prompt. */
async function shellAtPrompt(client: GenericClient, before: string): Promise<void> {
  client.send(PT.Size, SIZE);
  await client.until("the prompt", () => client.output().toString() === `${before}${PROMPT}`);
}

function types(delivered: Delivered[]): number[] {
  return delivered.map((d) => d.payloadType);
}

/** Only data, acks and MGS's channel_closed reach a client (agent_session_state stays at the gateway). */
function assertFrameKinds(client: GenericClient): void {
  const kinds = new Set(client.frames.map((f) => f.messageType));
  assert.deepEqual(
    [...kinds].filter((k) => !["output_stream_data", "acknowledge", "channel_closed"].includes(k)),
    [],
  );
  assert.equal(client.frames.at(-1)?.messageType, "channel_closed");
}

function assertClosed(closing: Closing, client: GenericClient, output: string): void {
  assert.equal(closing.code, 1000);
  assert.equal(closing.channelClosed?.MessageType, "channel_closed");
  assert.equal(closing.channelClosed?.SessionId, client.sessionId);
  assert.equal(closing.channelClosed?.DestinationId, client.target);
  assert.equal(closing.channelClosed?.Output, output);
  assertFrameKinds(client);
}

/** An exited shell: the note, the prompt and the echoed `exit 3`, and nothing after them but what `extra` adds. */
async function exitedShell(
  suite: ReturnType<typeof operatorSuite>,
): Promise<{ client: GenericClient; closing: Closing }> {
  const client = await GenericClient.open({ ...suite.op, start: { Target: WEB_A } });
  await shellAtPrompt(client, `${RUN_AS_NOTE}\r\n`);
  client.send(PT.Output, Buffer.from("exit 3\r"));
  const closing = await client.closed;
  assert.equal(client.output().toString(), `${RUN_AS_NOTE}\r\n${PROMPT}exit 3\r\n`);
  assert.equal(client.delivered[0]?.sequenceNumber, 0);
  assert.equal(client.delivered[0]?.flags, 1n, "SYN on the agent's first stream message");
  assert.ok(client.delivered.slice(1).every((d) => d.flags === 0n));
  assertClosed(closing, client, "");
  return { client, closing };
}

describe("a plain shell, as the real agent ends it", { skip }, () => {
  const suite = operatorSuite({ world: sessionWorld(kmsOff), agents });

  it("delivers the note, the prompt and the echo, and no EXIT_CODE", async () => {
    const { client } = await exitedShell(suite);
    assert.ok(
      types(client.delivered).every((t) => t === PT.Output),
      String(types(client.delivered)),
    );
  });

  it("says nothing in the stream when the idle timeout ends it; channel_closed says what AWS says", async () => {
    const client = await GenericClient.open({ ...suite.op, start: { Target: WEB_A } });
    const closing = await client.closed;
    assert.equal(client.output().toString(), `${RUN_AS_NOTE}\r\n${PROMPT}`);
    assert.ok(types(client.delivered).every((t) => t === PT.Output));
    assertClosed(closing, client, IDLE_TEXT);
  });
});

describe("a plain shell in a world that asks for shell exit codes (agents.reportShellExitCode)", {
  skip,
}, () => {
  const suite = operatorSuite({
    world: sessionWorld(kmsOff, (w) => {
      w.agents = { reportShellExitCode: true };
    }),
    agents,
  });

  it("ends with one ExitCode message, EXIT_CODE: 3", async () => {
    const { client } = await exitedShell(suite);
    const exits = client.delivered.filter((d) => d.payloadType === PT.ExitCode);
    assert.deepEqual(
      exits.map((d) => d.payload.toString()),
      ["EXIT_CODE: 3"],
    );
    assert.equal(client.delivered.at(-1)?.payloadType, PT.ExitCode);
  });
});

describe("a shell past its maximum session duration, in a world that asks for shell exit codes", {
  skip,
}, () => {
  const suite = operatorSuite({
    world: sessionWorld(
      (p) => {
        kmsOff(p);
        p.idleSessionTimeout = "60";
        p.maxSessionDuration = "1";
      },
      (w) => {
        w.agents = { reportShellExitCode: true };
      },
    ),
    agents,
  });

  it("is ended in channel_closed alone, with no exit code (the agent reports none when cancelled)", async () => {
    const client = await GenericClient.open({ ...suite.op, start: { Target: WEB_A } });
    await shellAtPrompt(client, `${RUN_AS_NOTE}\r\n`);
    const closing = await client.closed;
    assert.equal(client.output().toString(), `${RUN_AS_NOTE}\r\n${PROMPT}`);
    assert.ok(types(client.delivered).every((t) => t === PT.Output));
    assertClosed(
      closing,
      client,
      `Session ${client.sessionId} reached the maximum session duration of 1 minute (maxSessionDuration) and was terminated.`,
    );
  });
});

describe("a KMS-encrypted shell (the default world's preferences)", { skip }, () => {
  const suite = operatorSuite({ world: sessionWorld(() => {}), agents });

  it("puts the note before AWS's KMS sentence in HandshakeComplete, and ends with no EXIT_CODE", async () => {
    const client = await GenericClient.open({ ...suite.op, start: { Target: WEB_A } });
    await client.until("HandshakeComplete", () =>
      client.delivered.some((d) => d.payloadType === PT.HandshakeComplete),
    );
    const complete = JSON.parse(client.delivered.at(-1)!.payload.toString()) as Record<string, unknown>;
    assert.equal(complete.CustomerMessage, `${RUN_AS_NOTE}\nThis session is encrypted using AWS KMS.`);
    await shellAtPrompt(client, "");
    client.send(PT.Output, Buffer.from("exit 3\r"));
    const closing = await client.closed;
    assert.equal(client.output().toString(), `${PROMPT}exit 3\r\n`);
    assert.deepEqual(
      types(client.delivered).filter((t) => t !== PT.Output),
      [PT.HandshakeRequest, PT.EncChallengeRequest, PT.HandshakeComplete],
    );
    assertClosed(closing, client, "");
  });

  it("ends with channel_closed's empty Output and no stream text on TerminateSession", async () => {
    const client = await GenericClient.open({ ...suite.op, start: { Target: WEB_A } });
    await client.until("HandshakeComplete", () =>
      client.delivered.some((d) => d.payloadType === PT.HandshakeComplete),
    );
    await shellAtPrompt(client, "");
    await suite.op.ssm.send(new TerminateSessionCommand({ SessionId: client.sessionId }));
    const closing = await client.closed;
    assert.equal(client.output().toString(), PROMPT);
    assertClosed(closing, client, "");
  });
});

/** A basic-mode port session (a client older than 1.1.70, §3.6) to db-a's echo service on 5432. */
function openPort(suite: ReturnType<typeof operatorSuite>): Promise<GenericClient> {
  return GenericClient.open({
    ...suite.op,
    clientVersion: "1.0.0",
    start: {
      Target: DB_A,
      DocumentName: "AWS-StartPortForwardingSession",
      Parameters: { portNumber: ["5432"], localPortNumber: ["0"] },
    },
  });
}

describe("a port session (Run As on, the user not switchable)", { skip }, () => {
  const suite = operatorSuite({ world: sessionWorld(() => {}), agents });

  it("carries no Run As banner: an empty CustomerMessage, then only the forwarded bytes", async () => {
    const client = await openPort(suite);
    await client.until("HandshakeComplete", () =>
      client.delivered.some((d) => d.payloadType === PT.HandshakeComplete),
    );
    client.send(PT.Output, Buffer.from("ping\n"));
    await client.until("the echo", () => client.output().toString() === "ping\n");
    client.send(PT.Flag, Buffer.from([0, 0, 0, 2]));
    const closing = await client.closed;
    assert.deepEqual(types(client.delivered), [PT.HandshakeRequest, PT.HandshakeComplete, PT.Output]);
    const request = JSON.parse(client.delivered[0]!.payload.toString()) as {
      RequestedClientActions: { ActionType: string; ActionParameters: Record<string, unknown> }[];
    };
    assert.deepEqual(
      request.RequestedClientActions.map((a) => [a.ActionType, a.ActionParameters.SessionType]),
      [["SessionType", "Port"]],
    );
    const complete = JSON.parse(client.delivered[1]!.payload.toString()) as Record<string, unknown>;
    assert.equal(complete.CustomerMessage, "");
    assert.equal(client.output().toString(), "ping\n");
    assertClosed(closing, client, "");
  });
});

describe("a port session left idle", { skip }, () => {
  const suite = operatorSuite({ world: sessionWorld((p) => (p.idleSessionTimeout = "1")), agents });

  it("is ended with AWS's idle text in channel_closed and nothing in the stream", async () => {
    const client = await openPort(suite);
    const closing = await client.closed;
    assert.deepEqual(types(client.delivered), [PT.HandshakeRequest, PT.HandshakeComplete]);
    assertClosed(closing, client, IDLE_TEXT);
  });
});

describe("the shell profile, typed into the shell's terminal as the real agent types it", { skip }, () => {
  const suite = operatorSuite({
    world: sessionWorld((p) => {
      kmsOff(p);
      p.shellProfile.linux = "echo profile-ran";
    }),
    agents,
  });

  // The agent writes the profile and a newline to the pty at once (agent/session/shell: runShellProfile), with
  // the terminal's echo on: any client, the official plugin too, is handed the echoed line. Whether the shell's
  // first prompt comes before or after that echo is the race between the shell starting and the write.
  it("hands every client the echoed profile line, then its output, then the prompt", async () => {
    const client = await GenericClient.open({ ...suite.op, start: { Target: WEB_A } });
    client.send(PT.Size, SIZE);
    const echoFirst = `${RUN_AS_NOTE}\r\necho profile-ran\r\n${PROMPT}profile-ran\r\n${PROMPT}`;
    const promptFirst = `${RUN_AS_NOTE}\r\n${PROMPT}echo profile-ran\r\nprofile-ran\r\n${PROMPT}`;
    // The echo and the command's output both name it: wait for both, then the prompt.
    await client.until("the prompt after the profile's output", () => {
      const text = client.output().toString();
      return text.split("profile-ran").length === 3 && text.endsWith(PROMPT);
    });
    assert.ok(
      [echoFirst, promptFirst].includes(client.output().toString()),
      JSON.stringify(client.output().toString()),
    );
    client.send(PT.Output, Buffer.from("exit\r"));
    assertClosed(await client.closed, client, "");
  });
});
