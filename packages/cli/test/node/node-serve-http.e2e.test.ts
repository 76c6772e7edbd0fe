// `tobira node serve --http-port`: the loopback container-credentials endpoint beside the socket, whose
// token file only root and the first allowed group can read.
import assert from "node:assert/strict";
import { type ChildProcess, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { BUILT } from "../fixtures/sandbox-user.js";
import { newSet, rewriteInPlace } from "./agent-writer.js";
import { runNodeServe, startNodeServe } from "./node-serve-process.js";

const AS_ROOT = process.getuid?.() === 0;

describe("tobira node serve --http-port", {
  skip: (!BUILT && "run `npm run build` first") || (!AS_ROOT && "needs root"),
}, () => {
  const root = mkdtempSync(join(tmpdir(), "tobira-node-http-"));
  const agentDir = join(root, "agent");
  const tokenFile = join(root, "token");
  const set = newSet();
  let server: ChildProcess;
  let url = "";
  before(async () => {
    chmodSync(root, 0o755);
    mkdirSync(agentDir, { mode: 0o700 });
    await rewriteInPlace(agentDir, set);
    const started = startNodeServe(
      agentDir,
      join(root, "node.sock"),
      ["--allow-group", "daemon", "--http-port", "0", "--token-file", tokenFile],
      /container endpoint: (http:\/\/127\.0\.0\.1:\d+\/credentials)/,
    );
    server = started.server;
    url = (await started.ready)[1]!;
  });
  after(() => {
    server?.kill("SIGTERM");
    rmSync(root, { recursive: true, force: true });
  });

  test("the token file is root's and the allowed group's only (0640, group daemon)", () => {
    const info = statSync(tokenFile);
    assert.equal(info.mode & 0o777, 0o640);
    assert.equal(info.uid, 0);
    assert.equal(info.gid, 1);
  });

  test("answers the container-credentials format with the token, 401 without it", async () => {
    const token = readFileSync(tokenFile, "utf8").trim();
    const ok = await fetch(url, { headers: { authorization: token } });
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as Record<string, string>;
    assert.equal(body.AccessKeyId, set.accessKeyId);
    assert.equal(body.Token, set.sessionToken);
    assert.ok(Date.parse(body.Expiration!) > Date.now());
    const refused = await fetch(url, { headers: { authorization: "wrong" } });
    assert.ok(refused.status === 401 || refused.status === 403, String(refused.status));
  });

  test("without --token-file the allowed group reads the token beside the socket", async () => {
    const place = join(root, "default-token");
    mkdirSync(place, { mode: 0o755 });
    const socket = join(place, "n.sock");
    const started = startNodeServe(
      agentDir,
      socket,
      ["--allow-group", "daemon", "--http-port", "0"],
      /\(token file (.+)\)/,
    );
    try {
      const path = (await started.ready)[1]!;
      assert.equal(path, `${socket}.token`);
      // As daemon (uid 1, gid 1), the member of the allowed group: root's private folders would stop it here.
      const read = spawnSync("cat", [path], { uid: 1, gid: 1, encoding: "utf8" });
      assert.equal(read.status, 0, read.stderr);
      assert.match(read.stdout.trim(), /^\S{16,}$/);
    } finally {
      started.server.kill("SIGTERM");
    }
  });

  test("never unlinks a file at --socket that is not a socket", async () => {
    const file = join(root, "not-a-socket");
    writeFileSync(file, "precious\n");
    const result = await runNodeServe(agentDir, file, ["--allow-user", "root"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /exists and is not a socket/);
    assert.ok(existsSync(file));
    assert.equal(readFileSync(file, "utf8"), "precious\n");
  });

  test("refuses a socket folder anyone may write to (another user could swap the socket)", async () => {
    const open = join(root, "open");
    mkdirSync(open);
    chmodSync(open, 0o777);
    const result = await runNodeServe(agentDir, join(open, "s.sock"), ["--allow-user", "root"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /is writable by everyone/);
  });
});
