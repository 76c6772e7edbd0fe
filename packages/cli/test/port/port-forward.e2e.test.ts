// `tobira port` through the sandbox as a user runs it: a 64 MiB download with an equal sha256, 16 concurrent
// connections through one multiplexed session while one of them is read slowly, a remote host the instance
// may reach (and one it may not), several mappings in one command, and a clear line for each way a
// connection or the session ends (destination refused, remote close, local close, Ctrl-C).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { connect, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { download, echoText, type FileInfo, fileIndex } from "../fixtures/port-clients.mjs";
import { BUILT, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";

const skip = !BUILT && "run `npm run build` first";
/** Guards against a hung session, not timed assertions. */
const timeout = 240_000;

function file(files: FileInfo[], name: string): FileInfo {
  const found = files.find((f) => f.name === name);
  assert.ok(found, `the http service lists ${name}`);
  return found;
}

describe("tobira port through the sandbox", { skip, timeout }, () => {
  let fx: SandboxUser;
  before(async () => {
    fx = await startSandboxUser({ label: "port", keyBy: "tobira-add" });
  });
  after(async () => {
    await fx?.close();
  });

  test("64 MiB over HTTP arrives with the sha256 the service announces; Ctrl-C ends the session cleanly", async () => {
    const { run, ports } = await fx.openPorts(["port", "web-a", "0:80", "--profile", "project-a"]);
    const port = ports[0]!;
    assert.ok(port > 0, "LOCAL 0 was given a free port, and the line names it");
    const sessionId = /Starting session with SessionId: (\S+)/.exec(run.stdout())![1]!;
    const expected = file(await fileIndex(port), "64MiB.bin");
    const got = await download(port, "/files/64MiB.bin");
    assert.equal(got.status, 200);
    assert.equal(got.size, expected.size);
    assert.equal(got.sha256, expected.sha256);

    run.child.kill("SIGINT");
    assert.equal(await run.exited, 0);
    assert.match(run.stderr(), /Ctrl-C: ending 1 session\(s\)\.\.\./);
    assert.match(run.stderr(), new RegExp(`Session ${sessionId} terminated\\.`));
    const terminated = fx
      .audit()
      .filter((line) => line.action === "TerminateSession" && line.decision === "Allow");
    assert.ok(terminated.length >= 1, "TerminateSession was called");
    assert.equal(fx.mfaPrompts(), 1, "one MFA code");
    // The listener is gone with the process.
    await assert.rejects(download(port, "/"));
  });

  test("16 connections in one session: 15 finish while the 16th is read slowly, then it finishes intact", async () => {
    const { run, ports } = await fx.openPorts(["port", "web-a", "0:80", "--profile", "project-a", "--quiet"]);
    const port = ports[0]!;
    const files = await fileIndex(port);
    const small = file(files, "64KiB.bin");
    const big = file(files, "1MiB.bin");

    // The slow reader: a raw socket taking 4 KiB every 100 ms while the others run.
    const slow = connect({ host: "127.0.0.1", port });
    const slowHash = createHash("sha256");
    let slowBytes = 0;
    let headerDone = false;
    let pending = Buffer.alloc(0);
    let fullSpeed = false;
    let slowDone!: () => void;
    const slowFinished = new Promise<void>((resolve) => {
      slowDone = resolve;
    });
    const take = (chunk: Buffer) => {
      if (!headerDone) {
        pending = Buffer.concat([pending, chunk]);
        const end = pending.indexOf("\r\n\r\n");
        if (end < 0) return;
        headerDone = true;
        chunk = pending.subarray(end + 4);
      }
      slowHash.update(chunk);
      slowBytes += chunk.length;
      if (slowBytes === big.size) slowDone();
    };
    slow.on("readable", function drip() {
      if (fullSpeed) {
        for (let chunk = slow.read(); chunk !== null; chunk = slow.read()) take(chunk as Buffer);
      }
    });
    const dripper = setInterval(() => {
      if (fullSpeed) return;
      const chunk = slow.read(4096) ?? slow.read();
      if (chunk !== null) take(chunk as Buffer);
    }, 100);
    slow.write(`GET /files/${big.name} HTTP/1.1\r\nHost: web-a\r\nConnection: close\r\n\r\n`);

    const others = await Promise.all(
      Array.from({ length: 15 }, () => download(port, `/files/${small.name}`)),
    );
    const slowAtTheEnd = slowBytes;
    for (const got of others) {
      assert.equal(got.sha256, small.sha256);
      assert.equal(got.size, small.size);
    }
    assert.ok(
      slowAtTheEnd < big.size,
      `the slow reader had ${slowAtTheEnd} of ${big.size} bytes when the others were done`,
    );

    fullSpeed = true;
    clearInterval(dripper);
    slow.emit("readable");
    await slowFinished;
    slow.destroy();
    assert.equal(slowHash.digest("hex"), big.sha256);
    run.child.kill("SIGINT");
    assert.equal(await run.exited, 0);
  });

  test("several mappings, a remote host the instance reaches, and a clear line per connection end", async () => {
    const { run, ports } = await fx.openPorts(
      ["port", "web-a", "0:5432", "0:6000", "--host", "10.0.1.11", "--profile", "project-a"],
      2,
    );
    const [echoPort, refusedPort] = ports as [number, number];
    assert.equal(await echoText(echoPort, "hello through web-a to db-a"), "hello through web-a to db-a");
    await run.waitFor(/Connection from \S+ to port \d+ closed by the local client\./);

    // 10.0.1.11:6000 is not reachable from web-a: the agent answers ConnectToPortError, tobira says so.
    assert.equal(await echoText(refusedPort, "anyone?"), "");
    await run.waitFor(
      /Connection to destination port failed: 10\.0\.1\.11 \(through web-a\) refused or could not reach port 6000 \(ConnectToPortError\)/,
    );
    // The listener stays: the echo mapping still works.
    assert.equal(await echoText(echoPort, "still here"), "still here");

    run.child.kill("SIGINT");
    assert.equal(await run.exited, 0);
    assert.match(run.stderr(), /Ctrl-C: ending 2 session\(s\)\.\.\./);
    const starts = fx
      .audit()
      .filter((line) => line.action === "StartSession" && JSON.stringify(line).includes("ToRemoteHost"));
    assert.ok(starts.length >= 2, "both mappings used AWS-StartPortForwardingSessionToRemoteHost");
  });

  test("a connection the remote side closes is reported as such", async () => {
    const { run, ports } = await fx.openPorts(["port", "web-a", "0:80", "--profile", "project-a"]);
    const socket: Socket = connect({ host: "127.0.0.1", port: ports[0]! });
    socket.on("data", () => {});
    socket.write("GET /health HTTP/1.1\r\nHost: web-a\r\nConnection: close\r\n\r\n");
    await new Promise((resolve) => socket.on("end", resolve));
    socket.end();
    await run.waitFor(/closed by the remote side\./);
    run.child.kill("SIGINT");
    assert.equal(await run.exited, 0);
  });

  test("a forbidden remote host (the metadata address) is refused with the agent's words", async () => {
    const result = await fx.tobira([
      "port",
      "web-a",
      "0:80",
      "--host",
      "169.254.169.254",
      "--profile",
      "project-a",
    ]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /Forwarding to IP address 169\.254\.169\.254 is forbidden\./);
  });

  test("bad mappings are refused before anything starts", async () => {
    const result = await fx.tobira(["port", "web-a", "80:99999", "--profile", "project-a"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /remote port '99999' is not a TCP port/);
    assert.match(result.stderr, /hint: /);
  });
});
