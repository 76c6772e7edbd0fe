import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { get } from "node:http";
import { connect as tcpConnect } from "node:net";
import { PassThrough, Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { DescribeSessionsCommand } from "@aws-sdk/client-ssm";
import { DB_A, WEB_A } from "../ssm/workload-clients.js";
import { openPortSession, type PortSandbox, startPortSandbox } from "./port-fixture.js";

const SSHD_INSTALLED = existsSync("/usr/sbin/sshd");
const run = promisify(execFile);
/** A safety net: a session that never ends fails its test instead of hanging the run. */
const NO_HANG = { timeout: 120_000 };
const ONE_MIB_SHA256 = "cf44c42eb7c64ee7092be9fbe5d589fe58942d4727394e788666ace062d58a74";

/** GET through a local port: status, headers, sha256 and length of the body. */
function download(port: number, path: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; sha256: string; bytes: number }>(
    (resolve, reject) => {
      const request = get({ host: "127.0.0.1", port, path, agent: false }, (response) => {
        const hash = createHash("sha256");
        let bytes = 0;
        response.on("data", (chunk: Buffer) => {
          hash.update(chunk);
          bytes += chunk.length;
        });
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            sha256: hash.digest("hex"),
            bytes,
          }),
        );
        response.on("error", reject);
      });
      request.on("error", reject);
    },
  );
}

/** Sends `payload` to a local port, half-closes, and resolves with everything read back until EOF. */
function echoThrough(port: number, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: "127.0.0.1", port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("end", () => {
      socket.end();
      resolve(Buffer.concat(chunks));
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks)));
    socket.end(payload);
  });
}

/** The session's status once it is `wanted` (the agent ends a session a moment after the client's flag). */
async function statusBecomes(t: PortSandbox, sessionId: string, wanted: string): Promise<string | undefined> {
  for (;;) {
    const status = await sessionStatus(t, sessionId);
    if (status === wanted || (status !== "Connected" && status !== "Connecting")) return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function sessionStatus(t: PortSandbox, sessionId: string): Promise<string | undefined> {
  for (const State of ["Active", "History"] as const) {
    const listed = await t.ssm.send(new DescribeSessionsCommand({ State }));
    const found = listed.Sessions?.find((s) => s.SessionId === sessionId);
    if (found !== undefined) return found.Status;
  }
  return undefined;
}

const bytesOf = (n: number, seed: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

describe("port sessions through the sandbox (local services, real sockets)", NO_HANG, () => {
  let t: PortSandbox;
  before(async () => {
    t = await startPortSandbox();
  });
  after(() => t.dispose());

  it("downloads a generated file from web-a:80 through a multiplexed session, sha256 equal", async () => {
    const opened = await openPortSession(t, {
      Target: WEB_A,
      DocumentName: "AWS-StartPortForwardingSession",
      Parameters: { portNumber: ["80"] },
    });
    const { mode, info } = await opened.session.ready;
    assert.equal(mode, "mux");
    assert.equal(info.sessionType, "Port");
    const local = await opened.listen();
    const index = await new Promise<string>((resolve, reject) => {
      get({ host: "127.0.0.1", port: local.port, path: "/", agent: false }, (response) => {
        let body = "";
        response.on("data", (c: Buffer) => {
          body += c.toString("utf8");
        });
        response.on("end", () => resolve(body));
      }).on("error", reject);
    });
    const listed = JSON.parse(index) as {
      instance: { id: string };
      files: { name: string; sha256: string }[];
    };
    assert.equal(listed.instance.id, WEB_A);
    assert.equal(listed.files.find((f) => f.name === "1MiB.bin")?.sha256, ONE_MIB_SHA256);

    const got = await download(local.port, "/files/1MiB.bin");
    assert.equal(got.status, 200);
    assert.equal(got.bytes, 1048576);
    assert.equal(got.sha256, ONE_MIB_SHA256);
    assert.equal(got.headers["x-tobira-instance"], `${WEB_A} (web-a)`);
    assert.equal(got.headers["x-content-sha256"], ONE_MIB_SHA256);

    await local.close();
    assert.equal(await opened.session.terminate(), true);
    assert.equal(await statusBecomes(t, opened.sessionId, "Terminated"), "Terminated");
  });

  it("echoes through db-a:5432 and carries several concurrent streams in one session", async () => {
    const opened = await openPortSession(t, {
      Target: DB_A,
      DocumentName: "AWS-StartPortForwardingSession",
      Parameters: { portNumber: ["5432"] },
    });
    assert.equal((await opened.session.ready).mode, "mux");
    const local = await opened.listen();
    const payloads = Array.from({ length: 8 }, (_, i) => bytesOf(48 * 1024 + i * 1000, i));
    const echoed = await Promise.all(payloads.map((p) => echoThrough(local.port, p)));
    for (const [i, back] of echoed.entries())
      assert.ok(back.equals(payloads[i]!), `stream ${i} echoed intact`);
    await local.close();
    await opened.session.terminate();
  });

  it("mixes downloads and echoes on concurrent streams of a web-a session forwarding to db-a", async () => {
    const web = await openPortSession(t, {
      Target: WEB_A,
      DocumentName: "AWS-StartPortForwardingSession",
      Parameters: { portNumber: ["80"] },
    });
    const remote = await openPortSession(t, {
      Target: WEB_A,
      DocumentName: "AWS-StartPortForwardingSessionToRemoteHost",
      Parameters: { host: ["10.0.1.11"], portNumber: ["5432"] },
    });
    const webLocal = await web.listen();
    const remoteLocal = await remote.listen();
    const results = await Promise.all([
      ...Array.from({ length: 4 }, () => download(webLocal.port, "/files/64KiB.bin")),
      ...Array.from({ length: 4 }, (_, i) => echoThrough(remoteLocal.port, bytesOf(20_000, 100 + i))),
    ]);
    for (const r of results.slice(0, 4)) {
      const d = r as Awaited<ReturnType<typeof download>>;
      assert.equal(d.bytes, 65536);
      assert.equal(d.sha256, "f3630added112776d1c069723033124069321bdb6f99a12d23c95da8025f84cb");
    }
    for (const [i, r] of results.slice(4).entries()) {
      assert.ok((r as Buffer).equals(bytesOf(20_000, 100 + i)), `echo ${i} intact`);
    }
    await webLocal.close();
    await remoteLocal.close();
    await web.session.terminate();
    await remote.session.terminate();
  });

  it("serves an old client in basic mode: one connection at a time, re-dialled after DisconnectToPort", async () => {
    const opened = await openPortSession(
      t,
      { Target: DB_A, DocumentName: "AWS-StartPortForwardingSession", Parameters: { portNumber: ["5432"] } },
      { clientVersion: "1.1.0", mode: "basic" },
    );
    assert.equal((await opened.session.ready).mode, "basic");
    const local = await opened.listen();
    for (const seed of [1, 2, 3]) {
      const payload = bytesOf(10_000, seed);
      // Basic mode has no per-connection EOF toward the agent: read the echo back, then close.
      const back = await new Promise<Buffer>((resolve, reject) => {
        const socket = tcpConnect({ host: "127.0.0.1", port: local.port });
        const chunks: Buffer[] = [];
        let got = 0;
        socket.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          got += chunk.length;
          if (got >= payload.length) {
            socket.end();
            resolve(Buffer.concat(chunks));
          }
        });
        socket.on("error", reject);
        socket.write(payload);
      });
      assert.ok(back.equals(payload), `connection ${seed} echoed intact`);
    }
    await local.close();
    await opened.session.terminate();
  });

  it("forwards to a host web-a may reach by its DNS name, and to nothing else", async () => {
    const allowed = await openPortSession(t, {
      Target: WEB_A,
      DocumentName: "AWS-StartPortForwardingSessionToRemoteHost",
      Parameters: { host: ["ip-10-0-1-11.ap-northeast-1.compute.internal"], portNumber: ["5432"] },
    });
    const allowedLocal = await allowed.listen();
    assert.ok(
      (await echoThrough(allowedLocal.port, Buffer.from("select 1;"))).equals(Buffer.from("select 1;")),
    );
    await allowedLocal.close();
    await allowed.session.terminate();

    // web-b's address is in the world, but web-a's reachableHosts do not list it.
    const forbidden = await openPortSession(t, {
      Target: WEB_A,
      DocumentName: "AWS-StartPortForwardingSessionToRemoteHost",
      Parameters: { host: ["10.0.1.20"], portNumber: ["80"] },
    });
    const forbiddenLocal = await forbidden.listen();
    const back = await echoThrough(forbiddenLocal.port, Buffer.from("GET / HTTP/1.0\r\n\r\n"));
    assert.equal(back.length, 0);
    assert.equal(forbidden.connectErrors(), 1);
    const note = t.sandbox.localServices.log.lines.find((l) => l.includes(forbidden.sessionId));
    assert.match(note ?? "", /10\.0\.1\.20:80 is not reachable from web-a \(i-0a1a0000000000001\)/);
    // The session stays usable for the next connection, as the agent keeps a mux session open.
    assert.equal(await sessionStatus(t, forbidden.sessionId), "Connected");
    await forbiddenLocal.close();
    await forbidden.session.terminate();
  });

  it("refuses the metadata address with the agent's message; the session fails", async () => {
    const opened = await openPortSession(t, {
      Target: WEB_A,
      DocumentName: "AWS-StartPortForwardingSessionToRemoteHost",
      Parameters: { host: ["169.254.169.254"], portNumber: ["80"] },
    });
    const end = await opened.session.ended;
    assert.equal(end.reason, "channel-closed");
    assert.equal(end.output, "Forwarding to IP address 169.254.169.254 is forbidden.");
    assert.equal(await statusBecomes(t, opened.sessionId, "Failed"), "Failed");
  });

  it("reaches the real sshd on web-a:22 with AWS-StartSSHSession (stdin/stdout stream)", {
    skip: !SSHD_INSTALLED && "sshd is not installed",
  }, async () => {
    const opened = await openPortSession(t, {
      Target: WEB_A,
      DocumentName: "AWS-StartSSHSession",
      Parameters: { portNumber: ["22"] },
    });
    assert.equal((await opened.session.ready).mode, "stream");
    const input = new PassThrough();
    let received = "";
    const waiters: (() => void)[] = [];
    const output = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.toString("latin1");
        for (const waiter of waiters.splice(0)) waiter();
        callback();
      },
    });
    const seen = (pattern: RegExp) =>
      new Promise<void>((resolve) => {
        const check = () => (pattern.test(received) ? resolve() : waiters.push(check));
        check();
      });
    void opened.session.attachStdio(input, output);
    await seen(/^SSH-2\.0-OpenSSH[^\r\n]*\r\n/);
    // Our own version line makes sshd go on with its key exchange offer (a binary packet naming algorithms).
    input.write("SSH-2.0-tobira_test\r\n");
    await seen(/curve25519-sha256/);
    input.end();
    await opened.session.terminate();
    assert.equal(await statusBecomes(t, opened.sessionId, "Terminated"), "Terminated");
  });
});

describe("the real OpenSSH client through a forwarded port", NO_HANG, () => {
  let t: PortSandbox;
  before(async () => {
    t = await startPortSandbox();
  });
  after(() => t.dispose());

  it("logs in to web-a as the world user with the sandbox's key and known_hosts, and runs a command", {
    skip: !(SSHD_INSTALLED && existsSync("/usr/bin/ssh")) && "ssh or sshd is not installed",
  }, async () => {
    const login = t.sandbox.localServices.sshLogin!;
    assert.equal(statSync(login.identityFile).mode & 0o777, 0o600);
    const opened = await openPortSession(t, {
      Target: WEB_A,
      DocumentName: "AWS-StartPortForwardingSession",
      Parameters: { portNumber: ["22"] },
    });
    const local = await opened.listen();
    const { stdout } = await run("ssh", [
      "-i",
      login.identityFile,
      "-o",
      `UserKnownHostsFile=${login.knownHostsFile}`,
      "-o",
      "StrictHostKeyChecking=yes",
      "-o",
      `HostKeyAlias=${WEB_A}`,
      "-o",
      "BatchMode=yes",
      "-o",
      "IdentitiesOnly=yes",
      "-F",
      "/dev/null",
      "-p",
      String(local.port),
      `${login.user}@127.0.0.1`,
      "echo through-ssm; id -un",
    ]);
    assert.equal(stdout, `through-ssm\n${login.user}\n`);
    await local.close();
    await opened.session.terminate();
  });
});

describe("port sessions when sshd is not installed", NO_HANG, () => {
  let t: PortSandbox;
  before(async () => {
    t = await startPortSandbox({ sshdPath: "/nonexistent/sbin/sshd" });
  });
  after(() => t.dispose());

  it("notes why web-a:22 is served by nothing", () => {
    const lines = t.sandbox.localServices.log.lines;
    assert.ok(
      lines.some((l) => /sshd is not installed \(\/nonexistent\/sbin\/sshd is missing\)/.test(l)),
      lines.join("\n"),
    );
    assert.ok(lines.some((l) => l.includes("apt-get install openssh-server")));
    assert.ok(
      lines.some((l) => /web-a:22 sshd → nothing/.test(l)),
      lines.join("\n"),
    );
  });

  it("ends an SSH session at once, with the reason in the services log", async () => {
    const opened = await openPortSession(t, {
      Target: WEB_A,
      DocumentName: "AWS-StartSSHSession",
      Parameters: { portNumber: ["22"] },
    });
    const end = await opened.session.ended;
    assert.equal(end.reason, "channel-closed");
    const note = t.sandbox.localServices.log.lines.find((l) => l.includes(opened.sessionId));
    assert.match(note ?? "", /Nothing serves web-a:22 \(sshd\): sshd is not installed/);
  });

  it("answers a forwarded connection to port 22 with ConnectToPortError", async () => {
    const opened = await openPortSession(t, {
      Target: WEB_A,
      DocumentName: "AWS-StartPortForwardingSession",
      Parameters: { portNumber: ["22"] },
    });
    const local = await opened.listen();
    const back = await echoThrough(local.port, Buffer.from("SSH-2.0-test\r\n"));
    assert.equal(back.length, 0);
    assert.equal(opened.connectErrors(), 1);
    await local.close();
    await opened.session.terminate();
  });
});
