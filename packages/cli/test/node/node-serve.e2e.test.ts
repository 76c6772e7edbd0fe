// `tobira node serve` as root against an agent's folder, through the built CLI: 50 readers while the file
// is rewritten in place get only whole, unexpired sets that were written; a uid it does not allow (nobody,
// a real other user) is refused by the socket; an allowed non-root user gets the role through
// `tobira node credentials` and `tobira node exec`.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { BUILT, tobiraBin } from "../fixtures/sandbox-user.js";
import { type CredentialSet, newSet, rewriteInPlace, writeIdentity } from "./agent-writer.js";
import { startNodeServe } from "./node-serve-process.js";

const AS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;
/** daemon (uid 1 on Debian): the allowed non-root user. */
const DAEMON = 1;

/** The built CLI run as another user (a real other uid, so the peer check sees it). */
function tobiraAs(
  uid: number,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tobiraBin, ...args], {
      uid,
      gid: uid,
      env: { PATH: process.env.PATH ?? "", HOME: "/nonexistent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function ask(socket: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path: "/credentials" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("tobira node serve", {
  skip: (!BUILT && "run `npm run build` first") || (!AS_ROOT && "needs root (CI runs as root)"),
}, () => {
  const root = mkdtempSync(join(tmpdir(), "tobira-node-serve-"));
  const agentDir = join(root, "agent");
  const socket = join(root, "run", "node.sock");
  const written: CredentialSet[] = [];
  let server: ChildProcess;
  before(async () => {
    chmodSync(root, 0o755);
    const first = newSet();
    written.push(first);
    await import("node:fs").then((fs) => fs.mkdirSync(agentDir, { recursive: true, mode: 0o700 }));
    await rewriteInPlace(agentDir, first);
    const started = startNodeServe(
      agentDir,
      socket,
      ["--allow-user", "root", "--allow-user", "daemon"],
      /serving the role credentials/,
    );
    server = started.server;
    await started.ready;
  });
  after(() => {
    server?.kill("SIGTERM");
    rmSync(root, { recursive: true, force: true });
  });

  test("50 readers during in-place rewrites get only whole, unexpired sets that were written", async () => {
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const set = newSet();
        written.push(set);
        await rewriteInPlace(agentDir, set);
        // Faster than any agent (it rewrites every 30 minutes), slow enough that readers also meet a still file.
        await sleep(5);
      }
    })();
    const answers = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const out: { status: number; body: string }[] = [];
        for (let round = 0; round < 4; round++) out.push(await ask(socket));
        return { i, out };
      }),
    );
    writing = false;
    await writer;
    const keys = new Map(written.map((s) => [s.accessKeyId, s]));
    let served = 0;
    for (const { out } of answers) {
      for (const answer of out) {
        assert.equal(answer.status, 200, answer.body);
        const body = JSON.parse(answer.body) as Record<string, string>;
        const set = keys.get(body.AccessKeyId!);
        assert.ok(set, `an access key that was never written whole: ${body.AccessKeyId}`);
        assert.equal(body.SecretAccessKey, set.secretAccessKey);
        assert.equal(body.SessionToken, set.sessionToken);
        assert.ok(Date.parse(body.Expiration!) > Date.now() + 60_000);
        served++;
      }
    }
    assert.equal(served, 200);
    assert.ok(written.length > 5, `the writer rewrote the file ${written.length} times`);
  });

  test("never serves expired credentials: 503 with the reason", async () => {
    const now = Date.now();
    writeIdentity(agentDir, now - 3700_000, now - 1000);
    const answer = await ask(socket);
    assert.equal(answer.status, 503);
    assert.match(JSON.parse(answer.body).error, /expired at/);
    writeIdentity(agentDir, now, now + 3600_000);
  });

  test("a uid it does not allow (nobody) is refused by the socket, with nothing of the credentials", async () => {
    const refused = await tobiraAs(NOBODY, ["node", "credentials", "--socket", socket]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /uid 65534 \(nobody\) is not allowed the node's role credentials/);
    // The refused peer learns how to get access, not whom the server trusts.
    assert.match(refused.stderr, /hint: ask the server's administrator to allow your user/);
    assert.doesNotMatch(refused.stderr, /user daemon/);
    assert.ok(!refused.stderr.includes(written.at(-1)!.secretAccessKey));
    assert.equal(refused.stdout, "");
  });

  test("an allowed non-root user gets the role through node credentials and node exec", async () => {
    const current = written.at(-1)!;
    const printed = await tobiraAs(DAEMON, ["node", "credentials", "--socket", socket]);
    assert.equal(printed.code, 0, printed.stderr);
    const body = JSON.parse(printed.stdout) as Record<string, unknown>;
    assert.equal(body.Version, 1);
    assert.equal(body.AccessKeyId, current.accessKeyId);
    const ran = await tobiraAs(DAEMON, [
      "node",
      "exec",
      "--socket",
      socket,
      "--",
      "sh",
      "-c",
      "echo $AWS_ACCESS_KEY_ID",
    ]);
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout.trim(), current.accessKeyId);
  });
});
