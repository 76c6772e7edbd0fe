// The agent-file reader alone: a whole file is read; a half-written, a missing or an expired one never is.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { nodeFiles } from "../../src/node/agent-files.js";
import { NodeCredentialsError, readNodeCredentials } from "../../src/node/credentials-reader.js";
import { fileText, newSet, writeIdentity } from "./agent-writer.js";

describe("the agent's credentials file, read safely", () => {
  const dir = mkdtempSync(join(tmpdir(), "tobira-node-reader-"));
  const files = nodeFiles({ agentDir: dir });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("a whole file gives its [default] keys with identity_config's expiry", async () => {
    const set = newSet();
    const now = Date.now();
    writeFileSync(files.credentials, fileText(set));
    writeIdentity(dir, now, now + 3000_000);
    const read = await readNodeCredentials(files);
    assert.deepEqual(
      [read.accessKeyId, read.secretAccessKey, read.sessionToken],
      [set.accessKeyId, set.secretAccessKey, set.sessionToken],
    );
    assert.equal(read.expiration, new Date(now + 3000_000).toISOString());
  });

  test("a file cut mid-token (no final newline) is never served", async () => {
    const text = fileText(newSet());
    writeFileSync(files.credentials, text.slice(0, text.indexOf("aws_session_token") + 60));
    await assert.rejects(
      readNodeCredentials(files),
      (e: unknown) => e instanceof NodeCredentialsError && /does not end with a newline/.test(e.message),
    );
  });

  test("a file cut after the secret has no session token: refused", async () => {
    const text = fileText(newSet());
    writeFileSync(files.credentials, `${text.slice(0, text.indexOf("aws_session_token"))}`);
    await assert.rejects(readNodeCredentials(files), /no well-formed aws_session_token/);
  });

  test("expired credentials are refused, and so are ones whose file is older than a token's life", async () => {
    const now = Date.now();
    writeFileSync(files.credentials, fileText(newSet()));
    writeIdentity(dir, now - 3700_000, now - 100_000);
    await assert.rejects(readNodeCredentials(files), /expired at/);
    writeIdentity(dir, now, now + 3600_000);
    const old = (now - 3700_000) / 1000;
    utimesSync(files.credentials, old, old);
    await assert.rejects(readNodeCredentials(files), /expired at/);
  });

  test("a missing file says where it looked and what to check", async () => {
    const missing = nodeFiles({ agentDir: join(dir, "none") });
    await assert.rejects(readNodeCredentials(missing), /does not exist/);
  });
});
