// The cached providers: what is called on a miss, nothing on a hit, one MFA per source user, expiry and refresh.
// STS is a recording stand-in here (the end-to-end tests use the sandbox); cache and lock are the real files.
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { FileCacheLock } from "../../src/credentials/cache-lock-file.js";
import type { CredentialChainSpec } from "../../src/credentials/chain-spec.js";
import { planCredentials } from "../../src/credentials/plan.js";
import type { AwsCredentials, TemporaryCredentials } from "../../src/credentials/ports.js";
import {
  type ResolveDependencies,
  resolveCredentials,
  type StsCalls,
  sessionNameFromArn,
} from "../../src/credentials/resolve-credentials.js";
import { FileSessionCache } from "../../src/credentials/session-cache-file.js";
import { createUsedMfaCodes, type MfaRequest, withMfaRetry } from "../../src/mfa/index.js";

const SERIAL = "arn:aws:iam::111111111111:mfa/alice";
const ALICE: AwsCredentials = { accessKeyId: "AKIAALICEEXAMPLE0001", secretAccessKey: "alice-secret-0001" };
const T0 = Date.parse("2030-01-01T00:00:00Z");

function roleSpec(profile: string, roleName: string, extra: Partial<CredentialChainSpec["hops"][0]> = {}) {
  return {
    profile,
    source: { kind: "long-term", profile: "alice", mfaSerial: SERIAL },
    hops: [{ profile, roleArn: `arn:aws:iam::222222222222:role/${roleName}`, mfaSerial: SERIAL, ...extra }],
    endpointUrl: "http://127.0.0.1:1",
  } satisfies CredentialChainSpec;
}

interface Call {
  action: string;
  code?: string;
  sessionName?: string;
  callerKey: string;
}

/** Records calls; issues credentials that expire `lifetime` seconds after the fake clock. */
class RecordingSts implements StsCalls {
  calls: Call[] = [];
  counter = 0;
  rejectCodes = new Set<string>();
  delayMs = 0;
  constructor(private readonly clock: { now: number }) {}
  private issue(seconds: number): TemporaryCredentials {
    this.counter++;
    return {
      accessKeyId: `ASIATEMP${this.counter}`,
      secretAccessKey: `temp-secret-${this.counter}`,
      sessionToken: `token-${this.counter}`,
      expiration: new Date(this.clock.now + seconds * 1000).toISOString(),
    };
  }
  private async pause() {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
  }
  private checkCode(code: string | undefined) {
    if (code !== undefined && this.rejectCodes.has(code)) {
      throw Object.assign(
        new Error("MultiFactorAuthentication failed with invalid MFA one time pass code."),
        {
          name: "AccessDenied",
        },
      );
    }
  }
  getSessionToken: StsCalls["getSessionToken"] = async (step, longTerm, code) => {
    this.calls.push({
      action: "GetSessionToken",
      ...(code ? { code } : {}),
      callerKey: longTerm.accessKeyId,
    });
    await this.pause();
    this.checkCode(code);
    return this.issue(step.durationSeconds);
  };
  assumeRole: StsCalls["assumeRole"] = async (step, caller, sessionName, code) => {
    this.calls.push({
      action: "AssumeRole",
      ...(code ? { code } : {}),
      sessionName,
      callerKey: caller.accessKeyId,
    });
    await this.pause();
    this.checkCode(code);
    return this.issue(step.durationSeconds);
  };
  getCallerIdentity: StsCalls["getCallerIdentity"] = async (credentials) => {
    this.calls.push({ action: "GetCallerIdentity", callerKey: credentials.accessKeyId });
    return { arn: "arn:aws:iam::111111111111:user/alice", account: "111111111111", userId: "AIDAALICE" };
  };
}

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), "tobira-resolve-"));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

let caseNumber = 0;
function world() {
  const dir = join(root, `case-${++caseNumber}`);
  const clock = { now: T0 };
  const sts = new RecordingSts(clock);
  const prompts: MfaRequest[] = [];
  let codeCounter = 100000;
  let vaultOpens = 0;
  const notices: string[] = [];
  const deps = (): ResolveDependencies => {
    const cache = new FileSessionCache(
      { cacheDir: join(dir, "cache"), keyDir: join(dir, "run") },
      () => clock.now,
    );
    return {
      cache,
      lock: new FileCacheLock((name) => cache.lockPath(name)),
      longTermKeys: async () => {
        vaultOpens++;
        return { get: async (profile) => (profile === "alice" ? ALICE : undefined) };
      },
      mfa: async () => (need, call) =>
        withMfaRetry(
          async (request) => {
            prompts.push(request);
            return String(++codeCounter);
          },
          call,
          { ...need, usedCodes: createUsedMfaCodes() },
        ),
      sts: async () => sts,
      notice: (line) => notices.push(line),
      now: () => clock.now,
    };
  };
  return { dir, clock, sts, prompts, notices, deps, vaultOpens: () => vaultOpens };
}

describe("resolveCredentials", () => {
  it("a role profile: one code for GetSessionToken, AssumeRole named after the IAM user; then a pure cache hit", async () => {
    const w = world();
    const plan = planCredentials(roleSpec("switch", "switch"));
    const first = await resolveCredentials(plan, w.deps());
    assert.equal(first.fromCache, false);
    assert.deepEqual(
      w.sts.calls.map((c) => [c.action, c.code, c.sessionName]),
      [
        ["GetSessionToken", "100001", undefined],
        ["GetCallerIdentity", undefined, undefined],
        ["AssumeRole", undefined, "alice"],
      ],
    );
    // AssumeRole is made with the session token's credentials, not the long-term key.
    assert.equal(w.sts.calls[2]!.callerKey, "ASIATEMP1");
    assert.equal(w.prompts.length, 1);
    assert.equal(w.prompts[0]!.serial, SERIAL);

    const opensBefore = w.vaultOpens();
    const second = await resolveCredentials(plan, w.deps());
    assert.equal(second.fromCache, true);
    assert.equal(w.sts.calls.length, 3);
    assert.equal(w.vaultOpens(), opensBefore, "a hit does not open the vault");
    assert.deepEqual(second.credentials, first.credentials);
  });

  it("project-a then switch: one MFA code and one vault opening for both", async () => {
    const w = world();
    await resolveCredentials(planCredentials(roleSpec("project-a", "project-a")), w.deps());
    await resolveCredentials(planCredentials(roleSpec("switch", "switch")), w.deps());
    assert.equal(w.prompts.length, 1);
    assert.equal(w.vaultOpens(), 1);
    assert.deepEqual(
      w.sts.calls.map((c) => c.action),
      ["GetSessionToken", "GetCallerIdentity", "AssumeRole", "AssumeRole"],
    );
  });

  it("an explicit role_session_name is sent as is and no GetCallerIdentity is needed", async () => {
    const w = world();
    await resolveCredentials(
      planCredentials(roleSpec("switch", "switch", { roleSessionName: "oncall" })),
      w.deps(),
    );
    assert.deepEqual(
      w.sts.calls.map((c) => [c.action, c.sessionName]),
      [
        ["GetSessionToken", undefined],
        ["AssumeRole", "oncall"],
      ],
    );
  });

  it("credentials within five minutes of expiry are refreshed; expired ones are replaced", async () => {
    const w = world();
    const plan = planCredentials(roleSpec("switch", "switch"));
    await resolveCredentials(plan, w.deps());
    w.clock.now += 3600_000 - 6 * 60_000; // role creds have 6 minutes left
    assert.equal((await resolveCredentials(plan, w.deps())).fromCache, true);
    w.clock.now += 2 * 60_000; // 4 minutes left: refresh, without a new code (session token still good)
    const refreshed = await resolveCredentials(plan, w.deps());
    assert.equal(refreshed.fromCache, false);
    assert.equal(w.prompts.length, 1);
    w.clock.now += 13 * 3600_000; // everything expired
    const replaced = await resolveCredentials(plan, w.deps());
    assert.equal(replaced.fromCache, false);
    assert.equal(w.prompts.length, 2);
    assert.equal(Date.parse(replaced.credentials.expiration!), w.clock.now + 3600_000);
    assert.equal((await resolveCredentials(plan, w.deps())).fromCache, true);
  });

  it("a refused code is asked again with the reason, and the second code is used", async () => {
    const w = world();
    w.sts.rejectCodes.add("100001");
    await resolveCredentials(planCredentials(roleSpec("switch", "switch")), w.deps());
    assert.deepEqual(
      w.prompts.map((p) => [p.attempt, p.reason !== undefined]),
      [
        [1, false],
        [2, true],
      ],
    );
    assert.deepEqual(
      w.sts.calls.filter((c) => c.action === "GetSessionToken").map((c) => c.code),
      ["100001", "100002"],
    );
  });

  it("ten concurrent resolutions of one profile: one prompt, one call per step", async () => {
    const w = world();
    w.sts.delayMs = 150;
    const plan = planCredentials(roleSpec("project-a", "project-a"));
    const results = await Promise.all(Array.from({ length: 10 }, () => resolveCredentials(plan, w.deps())));
    assert.equal(w.prompts.length, 1);
    assert.deepEqual(
      w.sts.calls.map((c) => c.action),
      ["GetSessionToken", "GetCallerIdentity", "AssumeRole"],
    );
    for (const r of results) assert.deepEqual(r.credentials, results[0]!.credentials);
    assert.ok(w.notices.some((n) => /waiting for another tobira process/.test(n)));
  });

  it("a chain of two roles says the one-hour cap once, only when it calls STS", async () => {
    const w = world();
    const spec: CredentialChainSpec = {
      ...roleSpec("a", "a", { durationSeconds: 7200 }),
      hops: [
        { profile: "switch", roleArn: "arn:aws:iam::222222222222:role/switch", mfaSerial: SERIAL },
        { profile: "a", roleArn: "arn:aws:iam::222222222222:role/a", durationSeconds: 7200 },
      ],
    };
    const plan = planCredentials(spec);
    await resolveCredentials(plan, w.deps());
    await resolveCredentials(plan, w.deps());
    assert.equal(w.notices.filter((n) => /one hour/.test(n)).length, 1);
    assert.deepEqual(
      w.sts.calls.map((c) => [c.action, c.sessionName]),
      [
        ["GetSessionToken", undefined],
        ["GetCallerIdentity", undefined],
        ["AssumeRole", "alice"],
        ["AssumeRole", "alice"],
      ],
    );
  });

  it("no key in the vault: a clear error naming the profile and `tobira add`", async () => {
    const w = world();
    const plan = planCredentials({ ...roleSpec("x", "x"), source: { kind: "long-term", profile: "nobody" } });
    await assert.rejects(resolveCredentials(plan, w.deps()), (e: Error & { hint?: string }) => {
      assert.match(e.message, /'nobody'/);
      assert.match(e.hint ?? "", /tobira add nobody/);
      return true;
    });
  });
});

describe("FileSessionCache", () => {
  const entry = {
    expiresAt: new Date(T0 + 3600_000).toISOString(),
    credentials: {
      accessKeyId: "ASIAX",
      secretAccessKey: "very-secret-value",
      sessionToken: "tok",
      expiration: new Date(T0 + 3600_000).toISOString(),
    },
    meta: { kind: "assume-role", profile: "switch" },
  };

  it("stores entries encrypted, 0600, under names that reveal nothing; reads them back", async () => {
    const dir = join(root, "cache-files");
    const cache = new FileSessionCache({ cacheDir: join(dir, "c"), keyDir: join(dir, "k") }, () => T0);
    await cache.put("my-key", entry);
    assert.deepEqual(await cache.get("my-key"), entry);
    assert.equal(await cache.get("other-key"), undefined);
    const names = await readdir(join(dir, "c"));
    assert.equal(names.length, 1);
    assert.doesNotMatch(names[0]!, /my-key|switch/);
    const bytes = await readFile(join(dir, "c", names[0]!));
    assert.equal(bytes.includes("very-secret-value"), false);
    assert.equal(bytes.includes("switch"), false);
    assert.equal((await stat(join(dir, "c", names[0]!))).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, "k", "session-cache.key"))).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, "k"))).mode & 0o777, 0o700);
  });

  it("a tampered entry, or entries under a new key (after logout), read as misses", async () => {
    const dir = join(root, "cache-tamper");
    const loc = { cacheDir: join(dir, "c"), keyDir: join(dir, "k") };
    const cache = new FileSessionCache(loc, () => T0);
    await cache.put("k1", entry);
    const [name] = await readdir(loc.cacheDir);
    const path = join(loc.cacheDir, name!);
    const bytes = await readFile(path);
    bytes[bytes.length - 1]! ^= 1;
    await writeFile(path, bytes);
    assert.equal(await new FileSessionCache(loc, () => T0).get("k1"), undefined);

    await cache.put("k1", entry);
    await rm(loc.keyDir, { recursive: true });
    assert.equal(await new FileSessionCache(loc, () => T0).get("k1"), undefined);
    const fresh = new FileSessionCache(loc, () => T0);
    await fresh.put("k2", entry);
    assert.deepEqual(await fresh.get("k2"), entry);
    // The unreadable old entry was collected on that write.
    assert.equal((await readdir(loc.cacheDir)).filter((n) => n.endsWith(".session")).length, 1);
  });

  it("list shows entries; clear removes them, all or those of one profile", async () => {
    const dir = join(root, "cache-list");
    const cache = new FileSessionCache({ cacheDir: join(dir, "c"), keyDir: join(dir, "k") }, () => T0);
    await cache.put("a", entry);
    await cache.put("b", { ...entry, meta: { kind: "session-token", profile: "alice" } });
    assert.deepEqual((await cache.list()).map((l) => l.entry.meta.profile).sort(), ["alice", "switch"]);
    await cache.put("c", {
      ...entry,
      meta: { kind: "assume-role", profile: "switch", sourceProfile: "alice" },
    });
    assert.equal(await cache.clear("alice"), 2, "a profile's own sessions and those made from its key");
    assert.deepEqual(
      (await cache.list()).map((l) => l.key),
      ["a"],
    );
    assert.equal(await cache.clear(), 1);
    assert.equal(await cache.get("a"), undefined);
  });
});

describe("sessionNameFromArn", () => {
  it("takes the last segment of user and assumed-role ARNs and keeps it a valid session name", () => {
    assert.equal(sessionNameFromArn("arn:aws:iam::111111111111:user/alice"), "alice");
    assert.equal(
      sessionNameFromArn("arn:aws:iam::111111111111:user/ops/team/bob.smith@corp"),
      "bob.smith@corp",
    );
    assert.equal(sessionNameFromArn("arn:aws:sts::222222222222:assumed-role/switch/alice"), "alice");
    assert.equal(sessionNameFromArn("arn:aws:iam::111111111111:root"), "root");
    assert.equal(sessionNameFromArn(`arn:aws:iam::1:user/${"x".repeat(80)}`).length, 64);
  });
});
