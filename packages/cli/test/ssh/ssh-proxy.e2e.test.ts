// The real OpenSSH client through `tobira ssh-proxy` as its ProxyCommand, configured by `tobira ssh-config`:
// a remote command by Name alias, the shell it starts in, and a 32 MiB scp each way with equal checksums, against the sandbox's
// private sshd behind web-a:22 (AWS-StartSSHSession).
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { sandboxSshLogin, writeSshConfig } from "../fixtures/sandbox-sessions.js";
import { BUILT, runToEnd, type SandboxUser, startSandboxUser, tobiraBin } from "../fixtures/sandbox-user.js";

const haveOpenSsh = existsSync("/usr/sbin/sshd") && existsSync("/usr/bin/ssh") && existsSync("/usr/bin/scp");
const skip =
  (!BUILT && "run `npm run build` first") || (!haveOpenSsh && "needs openssh-client and openssh-server");
const timeout = 300_000;

/** How ssh runs tobira: the built CLI as npm links it. */
const tobiraCommand = `${process.execPath} ${tobiraBin}`;

/** A finished ssh or scp (a 32 MiB copy takes a while on a busy machine). */
const runProcess = (command: string, args: string[], env: NodeJS.ProcessEnv) =>
  runToEnd(command, args, { env, timeoutMs: 180_000 });

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("ssh and scp through tobira ssh-proxy", { skip, timeout }, () => {
  let fx: SandboxUser;
  let sshConfig: string;
  let user: string;
  before(async () => {
    fx = await startSandboxUser({ label: "ssh", keyBy: "tobira-add" });
    const login = sandboxSshLogin(fx);
    assert.ok(login, "the sandbox offers its sshd");
    user = login.user;
    sshConfig = await writeSshConfig(fx, login, {
      profile: "project-a",
      command: tobiraCommand,
      extra: ["BatchMode yes"],
    });
  });
  after(async () => {
    await fx?.close();
  });

  test("ssh-config names the ids and the Name aliases, each through ssh-proxy with the profile", () => {
    const text = readFileSync(sshConfig, "utf8");
    assert.match(text, /^Host i-\* mi-\*\n {4}ProxyCommand .+ ssh-proxy %h %p --profile project-a$/m);
    assert.match(
      text,
      /^Host web-a\n {4}HostName i-0a1a0000000000001\n {4}ProxyCommand .+ ssh-proxy %h %p --profile project-a$/m,
    );
    assert.match(text, /^Host db-a\n {4}HostName i-0a1a0000000000002$/m);
  });

  test("a command over ssh, by Name alias and by instance id", async () => {
    const byName = await runProcess(
      "ssh",
      ["-F", sshConfig, "web-a", "echo hello-from-$(hostname)-as-$(id -un)"],
      fx.env,
    );
    assert.equal(byName.code, 0, byName.stderr);
    assert.match(byName.stdout, new RegExp(`^hello-from-.+-as-${user}\\n$`));
    const byId = await runProcess("ssh", ["-F", sshConfig, "i-0a1a0000000000001", "exit 7"], fx.env);
    assert.equal(byId.code, 7, byId.stderr);
    assert.equal(fx.mfaPrompts(), 1, "one MFA code for every connection");
  });

  test("a command starts as on a fresh instance: bash as a second-level shell, so no ~/.bashrc of the sandbox's user", async (t) => {
    // The sandbox logs in as the user it runs as; that account's dotfiles (pyenv, nvm) are not the simulated
    // instance's and cost up to a second per command. bash reads ~/.bashrc for an sshd command only at level 1.
    const shell = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((line) => line.startsWith(`${user}:`))
      ?.split(":")[6];
    if (!shell?.endsWith("/bash")) return t.skip(`${user}'s login shell is ${shell}, not bash`);
    const level = await runProcess("ssh", ["-F", sshConfig, "web-a", "echo $SHLVL"], fx.env);
    assert.equal(level.code, 0, level.stderr);
    assert.equal(level.stdout, "2\n");
  });

  test("scp 32 MiB up and back down with equal checksums", async () => {
    const local = join(fx.root, "up.bin");
    const remote = join(fx.root, "remote-copy.bin");
    const back = join(fx.root, "down.bin");
    writeFileSync(local, randomBytes(32 * 1024 * 1024));
    const up = await runProcess("scp", ["-F", sshConfig, "-q", local, `web-a:${remote}`], fx.env);
    assert.equal(up.code, 0, up.stderr);
    assert.equal(sha(remote), sha(local));
    const down = await runProcess("scp", ["-F", sshConfig, "-q", `web-a:${remote}`, back], fx.env);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(sha(back), sha(local));
  });

  test("an unknown target is refused on stderr, with nothing on stdout (ssh's channel)", async () => {
    const result = await fx.tobira(["ssh-proxy", "no-such-host", "22", "--profile", "project-a"], {
      input: "",
    });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /no instance or managed node matches/);
  });
});
