// `tobira cp` through the sandbox with the real OpenSSH client and the sandbox's private sshd behind web-a:22:
// one file split over N sessions each way (N StartSession in the audit log, each session dialing sshd once
// per part), every byte checked by sha256, one session ended mid-copy reported by name with nothing left at
// the destination, a progress line on a real terminal only, and a destination or a host key that cannot work
// refused before a part is sent, with its hint.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  allowedStartSessions,
  sandboxSshLogin,
  sessionsDialing,
  sessionTerminator,
  writeSshConfig,
} from "../fixtures/sandbox-sessions.js";
import { BUILT, type SandboxUser, startSandboxUser, tobiraBin } from "../fixtures/sandbox-user.js";

const haveOpenSsh = existsSync("/usr/sbin/sshd") && existsSync("/usr/bin/ssh");
const skip =
  (!BUILT && "run `npm run build` first") || (!haveOpenSsh && "needs openssh-client and openssh-server");
/** Guards against a hung copy, not timed assertions. */
const timeout = 300_000;

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("tobira cp over N sessions through the sandbox", { skip, timeout }, () => {
  let fx: SandboxUser;
  let sshConfig: string;
  let remoteDir: string;
  before(async () => {
    fx = await startSandboxUser({ label: "copy", keyBy: "tobira-add" });
    const login = sandboxSshLogin(fx);
    assert.ok(login, "the sandbox offers its sshd");
    // The user's ssh config as `tobira ssh-config` writes it, plus the sandbox's login.
    sshConfig = await writeSshConfig(fx, login, {
      profile: "project-a",
      command: `${process.execPath} ${tobiraBin}`,
    });
    // The sandbox's sshd runs on this machine: web-a's /…/remote is this folder.
    remoteDir = join(fx.root, "remote");
    mkdirSync(remoteDir);
  });
  after(async () => {
    await fx?.close();
  });

  const startSessions = () => allowedStartSessions(fx);
  const sshdDials = () => sessionsDialing(fx, "web-a:22");
  const cp = (...args: string[]) => fx.tobira(["cp", ...args, "-F", sshConfig, "--profile", "project-a"]);
  const sessionIds = (stderr: string) =>
    /Striping over \d+ session\(s\): (.+)/.exec(stderr)?.[1]?.split(", ") ?? [];

  test("a 6 MiB file up in four parts over four sessions and back in three, sha256 equal both ways", async () => {
    const local = join(fx.root, "upload.bin");
    writeFileSync(local, randomBytes(6 * 1024 * 1024 + 123));
    const starts = startSessions();
    const dials = sshdDials().length;
    const up = await cp(local, `web-a:${remoteDir}/`, "--sessions", "4", "--json");
    assert.equal(up.code, 0, up.stderr);
    const summary = JSON.parse(up.stdout) as Record<string, unknown>;
    assert.equal(summary.parts, 4);
    assert.equal(summary.bytes, 6 * 1024 * 1024 + 123);
    assert.equal(summary.sha256, sha(local));
    assert.doesNotMatch(up.stderr, /MiB/, "no progress line when stderr is no terminal");
    assert.equal(sha(join(remoteDir, "upload.bin")), sha(local));
    assert.equal(startSessions() - starts, 4, "four StartSession: the probe and the check ride those four");
    const ids = sessionIds(up.stderr);
    assert.equal(ids.length, 4);
    const carriers = new Set(sshdDials().slice(dials));
    assert.deepEqual([...carriers].sort(), [...ids].sort(), "every session carried a part to sshd");
    assert.deepEqual(readdirSync(remoteDir), ["upload.bin"], "no temporary file left");

    const back = join(fx.root, "back");
    mkdirSync(back);
    const down = await cp(`web-a:${remoteDir}/upload.bin`, back, "--sessions", "3");
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /Copied 6291579 bytes to .+ in 3 part\(s\) over 3 session\(s\).+ checked/);
    assert.equal(sha(join(back, "upload.bin")), sha(local));
    assert.deepEqual(readdirSync(back), ["upload.bin"]);
  });

  test("one session ended mid-copy: named, the part it carried reported, nothing left at the destination", async () => {
    const local = join(fx.root, "big.bin");
    writeFileSync(local, randomBytes(24 * 1024 * 1024));
    const target = join(remoteDir, "failed");
    mkdirSync(target);
    // As `aws ssm terminate-session` would, with the role's own credentials.
    const terminate = await sessionTerminator(fx, "project-a");
    const dials = sshdDials().length;
    const run = fx.spawnTobira([
      "cp",
      local,
      `web-a:${target}/`,
      "--sessions",
      "4",
      "-F",
      sshConfig,
      "--profile",
      "project-a",
    ]);
    const [, list] = await run.waitFor(/Striping over 4 session\(s\): (.+)\n/);
    const ids = list!.split(", ");
    // Once the third session carries its part to sshd (the probe rides the first), it is ended under it.
    while (!sshdDials().slice(dials).includes(ids[2]!))
      await new Promise((resolve) => setTimeout(resolve, 50));
    await terminate(ids[2]!);
    const code = await run.exited;
    assert.notEqual(code, 0);
    const stderr = run.stderr();
    assert.match(stderr, new RegExp(`session ${ids[2]} \\(3 of 4\\) ended during the copy`));
    assert.match(stderr, /part \d of 4 \(bytes \d+–\d+\) could not be written: /);
    assert.match(stderr, /hint: /);
    assert.deepEqual(readdirSync(target), [], "neither the file nor a temporary part is left");
  });

  test("on a terminal a progress line is redrawn while the parts move, and cleared before the summary", async () => {
    const local = join(fx.root, "progress.bin");
    writeFileSync(local, randomBytes(6 * 1024 * 1024));
    const target = join(remoteDir, "progress");
    mkdirSync(target);
    const run = fx.tobiraOnPty([
      "cp",
      local,
      `web-a:${target}/`,
      "--sessions",
      "2",
      "-F",
      sshConfig,
      "--profile",
      "project-a",
    ]);
    await run.waitFor(/\r\d+\.\d of 6\.0 MiB {2}\d+% {2}\d+\.\d MB\/s/);
    assert.equal(await run.exited, 0, run.output());
    assert.match(run.output(), /\r\x1b\[KCopied 6291456 bytes to /, "the line is cleared, then the summary");
    assert.equal(sha(join(target, "progress.bin")), sha(local));
  });

  test("a destination that cannot take the file is refused before a part is sent, with what to do", async () => {
    const local = join(fx.root, "small.bin");
    writeFileSync(local, randomBytes(4096));
    const noFolder = await cp(local, `web-a:${remoteDir}/not-made/`, "--sessions", "2");
    assert.equal(noFolder.code, 1, noFolder.stderr);
    assert.match(noFolder.stderr, new RegExp(`cannot copy to web-a:${remoteDir}/not-made/: no folder`));
    assert.match(noFolder.stderr, /hint: create the folder on the instance, or name one that exists/);
    const noParent = await cp(local, `web-a:${remoteDir}/not-made/small.bin`);
    assert.match(noParent.stderr, new RegExp(`no folder ${remoteDir}/not-made\\b`));
    assert.equal(existsSync(join(remoteDir, "not-made")), false);
  });

  test("a remote source that is no file gets the file's hint, not the folder's", async () => {
    const run = await cp(`web-a:${remoteDir}/no-such.bin`, join(fx.root, "got.bin"));
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /cannot read \S+no-such\.bin on web-a: not a regular file/);
    assert.match(run.stderr, /hint: name a regular file that exists on the instance/);
    assert.equal(existsSync(join(fx.root, "got.bin")), false);
  });

  test("ssh's own refusal (an unknown host key) gets a hint naming the known_hosts entry to add", async () => {
    const local = join(fx.root, "small.bin");
    const run = await cp(local, `web-a:${remoteDir}/`, "-o", "UserKnownHostsFile=/dev/null");
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /Host key verification failed/);
    assert.match(run.stderr, /hint: ssh does not know the instance's host key under the name \S+: add it/);
  });

  test("bad arguments are refused before any session starts", async () => {
    const starts = startSessions();
    const both = await cp("web-a:/etc/hostname", "db-a:/tmp/");
    assert.equal(both.code, 2);
    assert.match(both.stderr, /both SOURCE and DEST are on instances/);
    const none = await cp(join(fx.root, "a"), join(fx.root, "b"));
    assert.equal(none.code, 2);
    assert.match(none.stderr, /neither SOURCE nor DEST is on an instance/);
    const missing = await cp(join(fx.root, "no-such-file"), `web-a:${remoteDir}/`);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no-such-file is not a file/);
    // A download into a local folder that is not there is said before a session, in the remote side's words.
    const nowhere = await cp(`web-a:${remoteDir}/`, join(fx.root, "not-made", "x.bin"));
    assert.equal(nowhere.code, 2, nowhere.stderr);
    assert.match(nowhere.stderr, /no folder \S+not-made\b/);
    assert.match(nowhere.stderr, /hint: create the folder first/);
    assert.doesNotMatch(nowhere.stderr, /\.tobira-|ENOENT/);
    assert.equal(startSessions(), starts);
  });
});
