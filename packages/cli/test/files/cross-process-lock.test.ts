// The cross-process lock: a private folder whatever the umask, naming its holder so that a holder killed with
// -9 is taken over at once (a real child process holds the lock and is killed), and a live one is waited for.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { withCrossProcessLock } from "../../src/files/cross-process-lock.js";
import { holderIsDead, processStart, readOwner } from "../../src/files/lock-owner.js";

const folder = mkdtempSync(join(tmpdir(), "tobira-lock-"));
after(() => rmSync(folder, { recursive: true, force: true }));

/** Waiting longer than a test would: only a taken-over lock lets these calls through. */
const NEVER_STALE = 3_600_000;

function busyError(): Error {
  return new Error("the lock stayed taken");
}

describe("the cross-process lock", () => {
  it("makes its folder 0700 and its owner file 0600 under umask 000", async () => {
    const lockPath = join(folder, "umask.lock");
    const previous = process.umask(0);
    try {
      await withCrossProcessLock(
        lockPath,
        { staleMs: 10_000, wait: { kind: "backoff", onBusy: busyError } },
        async () => {
          assert.equal(statSync(lockPath).mode & 0o777, 0o700);
          assert.equal(statSync(join(lockPath, "owner")).mode & 0o777, 0o600);
          assert.equal(readOwner(lockPath)?.owner.pid, process.pid);
        },
      );
    } finally {
      process.umask(previous);
    }
  });

  it("takes over at once the lock of a holder killed with -9", async () => {
    const lockPath = join(folder, "killed.lock");
    const module = new URL("../../src/files/cross-process-lock.ts", import.meta.url).href;
    // The child takes the lock, says so, and holds it until it is killed.
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `const { withCrossProcessLock } = await import(${JSON.stringify(module)});
         await withCrossProcessLock(${JSON.stringify(lockPath)},
           { staleMs: ${NEVER_STALE}, wait: { kind: "backoff", onBusy: (e) => e } },
           () => { process.stdout.write("held\\n"); return new Promise(() => setInterval(() => {}, 1000)); });`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("held")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`the holder exited first (${code})`)));
    }).catch((error: unknown) => {
      child.kill("SIGKILL");
      throw error;
    });
    const gone = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGKILL");
    await gone;
    // The folder is fresh (its mtime was refreshed a moment ago) and NEVER_STALE: only the dead holder check
    // can hand it over; otherwise the backoff ends in busyError.
    const got = await withCrossProcessLock(
      lockPath,
      { staleMs: NEVER_STALE, wait: { kind: "backoff", onBusy: busyError } },
      async () => readOwner(lockPath)?.owner.pid,
    );
    assert.equal(got, process.pid);
  });

  it("judges a holder by pid and start time, and leaves another host's to the folder's age", () => {
    const start = processStart(process.pid);
    assert.ok(start !== undefined && /^\d+$/.test(start), "a start time from /proc");
    const host = hostname();
    assert.equal(holderIsDead({ pid: process.pid, start, host }), false);
    assert.equal(holderIsDead({ pid: process.pid, start: `${start}1`, host }), true, "pid reused");
    assert.equal(holderIsDead({ pid: process.pid, start: "", host }), false);
    assert.equal(holderIsDead({ pid: 2 ** 22 + 1, start: "", host }), true, "no such process");
    assert.equal(holderIsDead({ pid: 2 ** 22 + 1, start: "", host: `${host}-other` }), false);
  });
});
