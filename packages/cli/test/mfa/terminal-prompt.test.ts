// The terminal prompt through a real pseudo-terminal, with stdin/stdout/stderr redirected as credential_process
// runs us: the question must reach the user through /dev/tty and the answer come back on stdout.
import assert from "node:assert/strict";
import { spawn as spawnProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type IPty, spawn } from "node-pty";

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, "fixtures", "ask-on-terminal.ts");
const repoRoot = join(here, "..", "..", "..", "..");
const workDir = mkdtempSync(join(tmpdir(), "tobira-tty-"));
after(() => rmSync(workDir, { recursive: true, force: true }));

interface Run {
  pty: IPty;
  /** Resolves once the terminal has shown `text` (everything written to the pty so far is searched). */
  waitFor(text: string): Promise<void>;
  screen(): string;
  exited: Promise<Exit>;
}

interface Exit {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The shell around the program saw the same `stty -g` before and after it. */
  terminalRestored: boolean;
}

let runCount = 0;
function runOnPty(mode: string, extraEnv: Record<string, string> = {}): Run {
  runCount++;
  const out = join(workDir, `out-${runCount}`);
  const err = join(workDir, `err-${runCount}`);
  // The shell redirects all three standard streams of the program away from the pty; only /dev/tty is left.
  // The shell itself stays (no exec) and keeps the pty open, as the AWS CLI does around credential_process:
  // a pty whose every descriptor is closed reads as hung up.
  // It also compares the terminal's settings before and after, whatever way the program ended.
  const script =
    'before=$(stty -g); "$NODE" --import tsx "$FIXTURE" "$MODE" </dev/null >"$OUT" 2>"$ERR"; rc=$?; ' +
    '[ "$before" = "$(stty -g)" ] && echo same >"$OUT.stty"; exit $rc';
  const pty = spawn("/bin/sh", ["-c", script], {
    cwd: repoRoot,
    cols: 200,
    rows: 24,
    env: {
      ...process.env,
      NODE: process.execPath,
      FIXTURE: fixture,
      MODE: mode,
      OUT: out,
      ERR: err,
      ...extraEnv,
    },
  });
  let seen = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  pty.onData((data) => {
    seen += data;
    for (const waiter of [...waiters]) {
      if (seen.includes(waiter.text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  const exited = new Promise<Exit>((resolve) => {
    pty.onExit(({ exitCode }) =>
      resolve({
        exitCode,
        stdout: readFileSync(out, "utf8"),
        stderr: readFileSync(err, "utf8"),
        terminalRestored: existsSync(`${out}.stty`),
      }),
    );
  });
  return {
    pty,
    screen: () => seen,
    exited,
    waitFor: (text) =>
      seen.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve })),
  };
}

const MFA_PROMPT = "MFA code for arn:aws:iam::111111111111:mfa/alice (profile switch): ";

describe("terminal prompt through /dev/tty", { timeout: 60_000 }, () => {
  test("asks on the terminal and returns the code on stdout although stdin/stdout/stderr are redirected", async () => {
    const run = runOnPty("mfa");
    await run.waitFor(MFA_PROMPT);
    run.pty.write("123456\r");
    await run.waitFor(`${MFA_PROMPT}123456`); // an MFA code is echoed as it is typed
    const { exitCode, stdout, stderr } = await run.exited;
    assert.equal(exitCode, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { answer: "123456", restored: true });
    assert.ok(!stdout.includes("MFA code for"), "the prompt never goes to stdout");
    assert.equal(stderr, "");
  });

  test("asks again on malformed input, then accepts a code typed with a space and a correction", async () => {
    const run = runOnPty("mfa");
    await run.waitFor(MFA_PROMPT);
    run.pty.write("12ab\r");
    // Type only once the question is asked again (the terminal is back in raw mode by then).
    await run.waitFor(`try again (Ctrl-C to cancel)\r\n${MFA_PROMPT}`);
    run.pty.write("654 3219\x7f\r"); // "654 321" once Backspace has removed the stray 9
    const { exitCode, stdout, stderr } = await run.exited;
    assert.equal(exitCode, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { answer: "654321", restored: true });
    assert.equal(run.screen().split(MFA_PROMPT).length - 1, 2, "the question was asked exactly twice");
  });

  test("Ctrl-C aborts with a clear error and leaves the terminal as it was", async () => {
    const run = runOnPty("mfa");
    await run.waitFor(MFA_PROMPT);
    run.pty.write("12\x03");
    const { exitCode, stdout, stderr } = await run.exited;
    assert.equal(exitCode, 130);
    assert.deepEqual(JSON.parse(stdout), { restored: true });
    assert.equal(stderr, "tobira: cancelled while asking for the MFA code (Ctrl-C)\n");
  });

  test("SIGTERM while waiting (a credential_process timeout) still restores the terminal", async () => {
    const pidFile = join(workDir, "pid-sigterm");
    const run = runOnPty("mfa", { PID_FILE: pidFile });
    await run.waitFor(MFA_PROMPT);
    process.kill(Number(readFileSync(pidFile, "utf8")), "SIGTERM");
    const { exitCode, terminalRestored } = await run.exited;
    assert.equal(exitCode, 128 + 15, "ended by SIGTERM as it would have been without us");
    assert.equal(terminalRestored, true);
  });

  test("Ctrl-D on an empty line ends with a clear error", async () => {
    const run = runOnPty("mfa");
    await run.waitFor(MFA_PROMPT);
    run.pty.write("\x04");
    const { exitCode, stdout, stderr } = await run.exited;
    assert.equal(exitCode, 1);
    assert.deepEqual(JSON.parse(stdout), { restored: true });
    assert.match(stderr, /no answer when asking for the MFA code: the input ended/);
  });

  test("no-echo mode shows nothing of a secret and returns it, Backspace included", async () => {
    const run = runOnPty("secret");
    await run.waitFor("Vault passphrase: ");
    run.pty.write("hunter2-Xq\x7f\x7fyz\r");
    const { exitCode, stdout, stderr } = await run.exited;
    assert.equal(exitCode, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { answer: "hunter2-yz", restored: true });
    for (const piece of ["hunter", "2-X", "yz"]) {
      assert.ok(!run.screen().includes(piece), `"${piece}" must not be echoed`);
    }
  });
});

describe("ykman driver on a terminal", { timeout: 60_000 }, () => {
  test("the touch prompt appears on the terminal, ykman can read the terminal, the code goes to stdout", async () => {
    const binDir = join(workDir, "bin");
    mkdirSync(binDir);
    writeFileSync(
      join(binDir, "ykman"),
      `#!/bin/sh
[ -t 0 ] && echo "(ykman can ask for an OATH password here)" >&2
echo "Touch your YubiKey..." >&2
echo 482913
`,
    );
    chmodSync(join(binDir, "ykman"), 0o755);
    const run = runOnPty("ykman", { PATH: `${binDir}:${process.env.PATH ?? "/usr/bin:/bin"}` });
    // Waiting for the text (rather than checking after exit) is sure to see output the pty still buffers.
    await run.waitFor("(ykman can ask for an OATH password here)");
    await run.waitFor(
      "Touch your YubiKey… (MFA code for arn:aws:iam::111111111111:mfa/alice, profile switch)",
    );
    const { exitCode, stdout, stderr } = await run.exited;
    assert.equal(exitCode, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { answer: "482913", restored: true });
    assert.equal(stderr, "");
  });
});

describe("without any terminal", () => {
  test("says how to give the code another way", async () => {
    // A new session (setsid) has no controlling terminal, and pipes are not terminals: nowhere to ask.
    const child = spawnProcess(process.execPath, ["--import", "tsx", fixture, "mfa"], {
      cwd: repoRoot,
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdin.end();
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exitCode = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(exitCode, 1);
    assert.match(
      stderr,
      /^tobira: no terminal to ask for the MFA code: set mfa_process or tobira_mfa_process, or pass --mfa-code\n {2}hint: /,
    );
    assert.deepEqual(JSON.parse(stdout), { restored: true });
  });
});
