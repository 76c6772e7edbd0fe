// The credential server on its own, with credentials from a stand-in fetcher: the token check, the answers
// to other paths and methods, the token file, the background refresh, and what happens when it fails.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { AwsCredentials } from "../../src/credentials/ports.js";
import { newContainerToken, tokenMatches } from "../../src/outputs/serve/container-token.js";
import { startCredentialServer } from "../../src/outputs/serve/credential-server.js";
import { REFRESH_AHEAD_MS, refreshDelay, retryDelay } from "../../src/outputs/serve/refresh-timing.js";

const root = mkdtempSync(join(tmpdir(), "tobira-credential-server-"));
after(() => rmSync(root, { recursive: true, force: true }));

function credentials(n: number, expiration: string): AwsCredentials {
  return {
    accessKeyId: `ASIATESTTESTTEST000${n}`,
    secretAccessKey: `secret-${n}`,
    sessionToken: `token-${n}`,
    expiration,
  };
}

describe("the container token", () => {
  it("is 256 random bits in 43 base64url characters", () => {
    const a = newContainerToken();
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, newContainerToken());
  });

  it("matches only itself, whatever the length of the guess", () => {
    const token = newContainerToken();
    assert.equal(tokenMatches(token, token), true);
    assert.equal(tokenMatches(token, `${token} `), false);
    assert.equal(tokenMatches(token, token.slice(0, -1)), false);
    assert.equal(tokenMatches(token, ""), false);
    assert.equal(tokenMatches(token, undefined), false);
  });
});

describe("refresh timing", () => {
  it("refreshes five minutes before expiry, and retries 15 s, 30 s, … up to 2 minutes", () => {
    assert.equal(REFRESH_AHEAD_MS, 300_000);
    assert.equal(refreshDelay(1_000_000, 0), 700_000);
    assert.equal(refreshDelay(1_000_000, 900_000), 0);
    assert.deepEqual([1, 2, 3, 4, 5, 9].map(retryDelay), [15_000, 30_000, 60_000, 120_000, 120_000, 120_000]);
  });
});

describe("the credential server", () => {
  it("answers the token holder, refuses anyone else, and removes its token file on close", async () => {
    const token = newContainerToken();
    const notices: string[] = [];
    const served = credentials(1, "2099-01-01T00:00:00.000Z");
    const server = await startCredentialServer({
      label: "test",
      token,
      fetchCredentials: async () => served,
      tokenFile: join(root, "token-a"),
      notice: (line) => notices.push(line),
    });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
      assert.equal(server.tokenFile, join(root, "token-a"));
      assert.equal(statSync(server.tokenFile).mode & 0o777, 0o600);
      assert.equal(
        readFileSync(server.tokenFile, "utf8"),
        token,
        "exactly the token: the SDK sends the file as is",
      );

      const ok = await fetch(server.url, { headers: { authorization: token } });
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), {
        AccessKeyId: served.accessKeyId,
        SecretAccessKey: served.secretAccessKey,
        Token: served.sessionToken,
        Expiration: served.expiration,
      });

      const wrong = await fetch(server.url, { headers: { authorization: `${token.slice(0, -1)}x` } });
      assert.equal(wrong.status, 403);
      const body = (await wrong.json()) as { Code: string };
      assert.equal(body.Code, "AccessDenied");
      assert.equal((await fetch(server.url)).status, 403, "no token at all");
      assert.equal(
        (await fetch(server.url.replace("/credentials", "/"), { headers: { authorization: token } })).status,
        404,
      );
      assert.equal(
        (await fetch(server.url, { method: "POST", headers: { authorization: token } })).status,
        405,
      );
      assert.equal(notices.filter((n) => n.includes("403")).length, 2);
      assert.ok(notices.every((n) => !n.includes(token) && !n.includes(served.secretAccessKey)));
    } finally {
      await server.close();
    }
    assert.equal(existsSync(join(root, "token-a")), false);
    await assert.rejects(fetch(server.url), "the port is closed");
  });

  it("puts the token file in a private folder of the runtime folder when no path is given", async () => {
    const runtime = join(root, "run");
    const server = await startCredentialServer({
      label: "test",
      token: newContainerToken(),
      fetchCredentials: async () => credentials(1, "2099-01-01T00:00:00.000Z"),
      env: { TOBIRA_RUNTIME_DIR: runtime },
      notice: () => undefined,
    });
    const folder = join(server.tokenFile, "..");
    assert.ok(server.tokenFile.startsWith(runtime));
    assert.equal(statSync(folder).mode & 0o777, 0o700);
    assert.equal(statSync(server.tokenFile).mode & 0o777, 0o600);
    await server.close();
    assert.equal(existsSync(folder), false);
  });

  it("refreshes in the background and serves the new credentials; a failed refresh keeps the old ones", async () => {
    // The server's clock says the first credentials are four minutes from expiry: due for a refresh at once.
    const now = Date.parse("2030-01-01T00:00:00.000Z");
    const first = credentials(1, new Date(now + 4 * 60_000).toISOString());
    const second = credentials(2, new Date(now + 3600_000).toISOString());
    let calls = 0;
    let refreshed!: () => void;
    const refreshedOnce = new Promise<void>((resolve) => {
      refreshed = resolve;
    });
    const notices: string[] = [];
    const token = newContainerToken();
    const server = await startCredentialServer({
      label: "test",
      token,
      now: () => now,
      minRefreshIntervalMs: 0,
      fetchCredentials: async () => {
        calls++;
        if (calls === 1) return first;
        if (calls === 2) {
          setImmediate(refreshed);
          return second;
        }
        throw new Error("STS is down");
      },
      notice: (line) => notices.push(line),
    });
    try {
      await refreshedOnce;
      const answer = (await (await fetch(server.url, { headers: { authorization: token } })).json()) as {
        AccessKeyId: string;
      };
      assert.equal(answer.AccessKeyId, second.accessKeyId);
      assert.equal(server.expiration(), second.expiration);
      assert.ok(notices.some((n) => n.includes("fresh credentials")));
    } finally {
      await server.close();
    }
  });

  it("answers 503 once the credentials expired and could not be renewed", async () => {
    const token = newContainerToken();
    const server = await startCredentialServer({
      label: "test",
      token,
      fetchCredentials: async () => credentials(1, "2000-01-01T00:00:00.000Z"),
      minRefreshIntervalMs: 60_000,
      notice: () => undefined,
    });
    try {
      const answer = await fetch(server.url, { headers: { authorization: token } });
      assert.equal(answer.status, 503);
      assert.equal(((await answer.json()) as { Code: string }).Code, "CredentialsExpired");
    } finally {
      await server.close();
    }
  });

  it("refuses credentials it cannot serve (no session token)", async () => {
    await assert.rejects(
      startCredentialServer({
        label: "profile 'keys'",
        token: newContainerToken(),
        fetchCredentials: async () => ({ accessKeyId: "AKIAEXAMPLE", secretAccessKey: "x" }),
        notice: () => undefined,
      }),
      /profile 'keys' gives credentials without a session token/,
    );
  });
});
