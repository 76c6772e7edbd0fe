// The no-config hit path: a remembered plan answers until the AWS files or the resolution variables change.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { answerFromCache, planMemoKey, rememberPlan } from "../../src/credentials/cache-hit.js";
import { sourceRecordKey, stepCacheKeys } from "../../src/credentials/cache-key.js";
import { planCredentials } from "../../src/credentials/plan.js";
import { FileSessionCache } from "../../src/credentials/session-cache-file.js";
import { SessionCacheReader } from "../../src/credentials/session-cache-reader.js";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "tobira-hit-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("answerFromCache", () => {
  it("answers a remembered plan; an edited config file or another AWS_REGION is a miss", async () => {
    const env = {
      AWS_CONFIG_FILE: join(dir, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
    };
    await writeFile(
      env.AWS_CONFIG_FILE,
      "[profile switch]\nrole_arn = arn:aws:iam::2:role/r\nsource_profile = alice\n",
    );
    const now = Date.parse("2030-01-01T00:00:00Z");
    const location = { cacheDir: join(dir, "c"), keyDir: join(dir, "k") };
    const cache = new FileSessionCache(location, () => now);
    // The hit path reads through its own synchronous reader, as the credential-process fast path does.
    const reader = new SessionCacheReader(location);
    const plan = planCredentials({
      profile: "switch",
      source: { kind: "long-term", profile: "alice", mfaSerial: "arn:aws:iam::1:mfa/alice" },
      hops: [{ profile: "switch", roleArn: "arn:aws:iam::2:role/r" }],
    });
    const expiration = new Date(now + 3600_000).toISOString();
    const credentials = { accessKeyId: "ASIA1", secretAccessKey: "s", sessionToken: "t", expiration };
    await cache.put(sourceRecordKey("alice"), {
      expiresAt: new Date(now + 86400_000).toISOString(),
      meta: { accessKeyId: "AKIAALICE" },
    });
    await cache.put(stepCacheKeys(plan, "AKIAALICE")[1]!, { expiresAt: expiration, credentials, meta: {} });

    const key = planMemoKey({ profile: "switch", env });
    assert.equal(
      answerFromCache(reader, key, () => now),
      undefined,
      "nothing remembered yet",
    );
    await rememberPlan(cache, key, plan, () => now);
    assert.deepEqual(answerFromCache(reader, key, () => now)?.credentials, credentials);
    assert.equal(
      answerFromCache(reader, key, () => now + 3600_000 - 60_000),
      undefined,
      "near expiry: miss",
    );

    assert.notEqual(planMemoKey({ profile: "switch", env: { ...env, AWS_REGION: "eu-west-1" } }), key);
    assert.notEqual(planMemoKey({ profile: "switch", env, durationSeconds: 900 }), key);
    assert.notEqual(planMemoKey({ profile: "other", env }), key);
    await writeFile(
      env.AWS_CONFIG_FILE,
      "[profile switch]\nrole_arn = arn:aws:iam::2:role/x\nsource_profile = alice\n",
    );
    assert.notEqual(planMemoKey({ profile: "switch", env }), key);
  });
});
