import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LEAF_PASSPHRASE, type Leaf } from "../../../sandbox/test/rolesanywhere/pki.js";
import { FileSessionCache } from "../../src/credentials/session-cache-file.js";
import { cachedCredentialsForWords } from "../../src/rolesanywhere/cached-answer.js";
import { BUILT } from "../fixtures/sandbox-user.js";
import { identityArgs, type RaMachine, SERVER_ROLE, startRaMachine } from "./ra-fixture.js";

interface Version1 {
  AccessKeyId: string;
  Expiration: string;
}

describe("Roles Anywhere credentials are cached like tobira's other temporary credentials", {
  skip: !BUILT && "needs npm run build",
}, () => {
  let m: RaMachine;
  let cacheEnv: NodeJS.ProcessEnv;
  before(async () => {
    m = await startRaMachine();
    cacheEnv = {
      TOBIRA_CACHE_DIR: join(m.home, "cache"),
      TOBIRA_RUNTIME_DIR: mkdtempSync(join(m.home, "run-")),
    };
  });
  after(() => m.dispose());

  const args = (leaf: Pick<Leaf, "certificatePath" | "keyPath">, extra: string[] = []) => [
    "rolesanywhere",
    "credential-process",
    ...identityArgs(m, leaf, { intermediates: true }),
    ...extra,
  ];
  const issue = async (argv: string[], extra: NodeJS.ProcessEnv = {}) => {
    const run = await m.tobira(argv, { ...cacheEnv, ...extra });
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as Version1;
  };
  /** Runs `body` and says how many CreateSession calls the sandbox granted meanwhile. */
  const counted = async <T>(body: () => Promise<T>): Promise<[T, number]> => {
    const before = m.createSessions();
    const result = await body();
    return [result, m.createSessions() - before];
  };

  it("two calls make one CreateSession; the entry is a 0600 file in a 0700 folder", async () => {
    const [[first, second], calls] = await counted(async () => [
      await issue(args(m.pki.rsaLeaf)),
      await issue(args(m.pki.rsaLeaf)),
    ]);
    assert.equal(calls, 1);
    assert.equal(second.AccessKeyId, first.AccessKeyId);
    assert.equal(second.Expiration, first.Expiration);
    // The fast path (before commander loads) finds the entry the full path stored: the same key.
    const fast = cachedCredentialsForWords(args(m.pki.rsaLeaf).slice(2), { ...m.env, ...cacheEnv });
    assert.equal(fast?.accessKeyId, first.AccessKeyId);
    const dir = cacheEnv.TOBIRA_CACHE_DIR!;
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const entries = readdirSync(dir).filter((name) => name.endsWith(".session"));
    assert.ok(entries.length >= 1);
    for (const name of entries) assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600);
  });

  it("another duration, session name or profile is another entry, never the cached one", async () => {
    const base = await issue(args(m.pki.rsaLeaf));
    const [others, calls] = await counted(async () => [
      await issue(args(m.pki.rsaLeaf, ["--session-duration", "1800"])),
      // The last --profile-arn given wins: the narrow profile, which accepts a session name.
      await issue(
        args(m.pki.rsaLeaf, ["--profile-arn", m.narrowProfileArn, "--role-session-name", "web-1-nightly"]),
      ),
      await issue(args(m.pki.rsaLeaf, ["--session-duration", "1800"])), // now cached
    ]);
    assert.equal(calls, 2);
    assert.notEqual(others[0]!.AccessKeyId, base.AccessKeyId);
    assert.notEqual(others[1]!.AccessKeyId, base.AccessKeyId);
    assert.equal(others[2]!.AccessKeyId, others[0]!.AccessKeyId);
  });

  it("a renewed certificate at the same path is a miss: the files count by their contents", async () => {
    const dir = mkdtempSync(join(m.home, "pki-"));
    const leaf = { certificatePath: join(dir, "server.pem"), keyPath: join(dir, "server.key") };
    copyFileSync(m.pki.rsaLeaf.certificatePath, leaf.certificatePath);
    copyFileSync(m.pki.rsaLeaf.keyPath, leaf.keyPath);
    const [, firstCalls] = await counted(() => issue(args(leaf)));
    assert.equal(firstCalls, 0, "same bytes as rsaLeaf's, whose credentials are cached");
    copyFileSync(m.pki.ecLeaf.certificatePath, leaf.certificatePath);
    copyFileSync(m.pki.ecLeaf.keyPath, leaf.keyPath);
    const [, renewedCalls] = await counted(() => issue(args(leaf)));
    assert.equal(renewedCalls, 1);
  });

  it("--no-cache makes one CreateSession each time and stores nothing", async () => {
    const empty = { TOBIRA_CACHE_DIR: join(m.home, "cache-unused") };
    const [, calls] = await counted(async () => {
      await issue(args(m.pki.rsaLeaf, ["--no-cache"]), empty);
      await issue(args(m.pki.rsaLeaf, ["--no-cache"]), empty);
    });
    assert.equal(calls, 2);
    assert.throws(() => readdirSync(empty.TOBIRA_CACHE_DIR));
  });

  it("credentials within five minutes of expiry are fetched again", async () => {
    const cached = await issue(args(m.pki.rsaLeaf));
    const cache = new FileSessionCache({
      cacheDir: cacheEnv.TOBIRA_CACHE_DIR!,
      keyDir: cacheEnv.TOBIRA_RUNTIME_DIR!,
    });
    const listed = (await cache.list()).find(
      ({ entry }) => entry.credentials?.accessKeyId === cached.AccessKeyId,
    );
    assert.ok(listed, "the cached entry");
    const soon = new Date(Date.now() + 4 * 60_000).toISOString();
    await cache.put(listed.key, {
      ...listed.entry,
      expiresAt: soon,
      credentials: { ...listed.entry.credentials!, expiration: soon },
    });
    const [refreshed, calls] = await counted(() => issue(args(m.pki.rsaLeaf)));
    assert.equal(calls, 1);
    assert.notEqual(refreshed.AccessKeyId, cached.AccessKeyId);
    assert.ok(Date.parse(refreshed.Expiration) - Date.now() > 30 * 60_000);
  });

  it("concurrent callers make one CreateSession between them", async () => {
    const argv = args(m.pki.rsaLeaf, ["--session-duration", "2700"]);
    const [results, calls] = await counted(() => Promise.all([1, 2, 3, 4, 5].map(() => issue(argv))));
    assert.equal(calls, 1);
    assert.equal(new Set(results.map((r) => r.AccessKeyId)).size, 1);
  });

  it("a hit does not ask for an encrypted key's passphrase; a miss still needs the right one", async () => {
    const argv = args(m.pki.encryptedLeaf);
    await issue(argv, { TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE: LEAF_PASSPHRASE });
    const [, calls] = await counted(() => issue(argv));
    assert.equal(calls, 0);
    const wrong = await m.tobira([...argv, "--no-cache"], {
      ...cacheEnv,
      TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE: "not it",
    });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /wrong passphrase\?/);
  });

  it("a tobira_rolesanywhere_* profile is cached under its name, and `tobira clear NAME` drops it", async () => {
    mkdirSync(join(m.home, ".aws"), { recursive: true });
    writeFileSync(
      join(m.home, ".aws", "config"),
      [
        "[profile lab-cached]",
        `tobira_rolesanywhere_certificate = ${m.pki.ecLeaf.certificatePath}`,
        `tobira_rolesanywhere_private_key = ${m.pki.ecLeaf.keyPath}`,
        `tobira_rolesanywhere_intermediates = ${m.pki.intermediatePath}`,
        `tobira_rolesanywhere_trust_anchor_arn = ${m.anchorArn}`,
        `tobira_rolesanywhere_profile_arn = ${m.profileArn}`,
        `tobira_rolesanywhere_role_arn = ${SERVER_ROLE}`,
        "tobira_rolesanywhere_session_duration = 2400",
        "",
      ].join("\n"),
    );
    const [[first, second], calls] = await counted(async () => [
      await issue(["credential-process", "lab-cached"]),
      await issue(["credential-process", "lab-cached"]),
    ]);
    assert.equal(calls, 1);
    assert.equal(second.AccessKeyId, first.AccessKeyId);
    // The same identity through `tobira rolesanywhere credential-process --profile` shares the entry's inputs.
    const [, viaFlags] = await counted(() =>
      issue(["rolesanywhere", "credential-process", "--profile", "lab-cached"]),
    );
    assert.equal(viaFlags, 0);
    const cleared = await m.tobira(["clear", "lab-cached"], cacheEnv);
    assert.equal(cleared.code, 0, cleared.stderr);
    const [again, afterClear] = await counted(() => issue(["credential-process", "lab-cached"]));
    assert.equal(afterClear, 1);
    assert.notEqual(again.AccessKeyId, first.AccessKeyId);
  });

  it("inputs given first as flags, then through a profile: `tobira clear PROFILE` still drops the entry", async () => {
    mkdirSync(join(m.home, ".aws"), { recursive: true });
    writeFileSync(
      join(m.home, ".aws", "config"),
      [
        "[profile lab-flags-first]",
        `tobira_rolesanywhere_certificate = ${m.pki.rsaLeaf.certificatePath}`,
        `tobira_rolesanywhere_private_key = ${m.pki.rsaLeaf.keyPath}`,
        `tobira_rolesanywhere_intermediates = ${m.pki.intermediatePath}`,
        `tobira_rolesanywhere_trust_anchor_arn = ${m.anchorArn}`,
        `tobira_rolesanywhere_profile_arn = ${m.profileArn}`,
        `tobira_rolesanywhere_role_arn = ${SERVER_ROLE}`,
        "",
      ].join("\n"),
    );
    const [fromFlags] = await counted(() => issue(args(m.pki.rsaLeaf)));
    const [fromProfile, shared] = await counted(() => issue(["credential-process", "lab-flags-first"]));
    assert.equal(shared, 0, "the profile is served from the entry the flags made");
    assert.equal(fromProfile.AccessKeyId, fromFlags.AccessKeyId);
    const cleared = await m.tobira(["clear", "lab-flags-first"], cacheEnv);
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.match(cleared.stdout + cleared.stderr, /Dropped 1 /);
    const [again, afterClear] = await counted(() => issue(["credential-process", "lab-flags-first"]));
    assert.equal(afterClear, 1);
    assert.notEqual(again.AccessKeyId, fromFlags.AccessKeyId);
  });
});
