// The file vault across real processes: SIGKILL in the middle of a write, and several writers at once.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { FileVault } from "../../src/vault/file-vault.js";
import { forgetDerivedKeys } from "../../src/vault/key-derivation.js";
import { fixedPassphrase } from "../../src/vault/passphrase-source.js";
import { CHEAP_SCRYPT, makeTempFolder, sampleKey } from "./fixtures/vault-samples.js";

const writerScript = fileURLToPath(new URL("./fixtures/vault-writer.ts", import.meta.url));
const PASSPHRASE = "processes passphrase";
let folder: { path: string; remove: () => Promise<void> };
let vaultPath: string;

function vault(options: { lockStaleMs?: number } = {}): FileVault {
  return new FileVault({
    path: vaultPath,
    passphrase: fixedPassphrase(PASSPHRASE),
    kdf: CHEAP_SCRYPT,
    ...options,
  });
}

function startWriter(args: string[], extraEnv: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", writerScript, ...args], {
    env: { ...process.env, TOBIRA_VAULT_FILE: vaultPath, TOBIRA_VAULT_PASSPHRASE: PASSPHRASE, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function exited(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr })));
}

/** Waits (without asserting on time) until `ready` holds; gives up after a generous minute. */
async function waitFor(ready: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (ready()) return;
    await sleep(100);
  }
  throw new Error(`gave up waiting for ${what}`);
}

beforeEach(async () => {
  forgetDerivedKeys();
  folder = await makeTempFolder("vault-processes");
  vaultPath = join(folder.path, "vault");
});
afterEach(() => folder.remove());

describe("file vault across processes", () => {
  it("keeps the previous vault readable when a writer is killed between writing the temp file and renaming", async () => {
    await vault().keys.set("alpha", sampleKey());
    const before = await readFile(vaultPath);
    const marker = join(folder.path, "writer-paused");
    const child = startWriter(["keys", "beta", "1"], { TOBIRA_TEST_PAUSE_BEFORE_VAULT_RENAME: marker });
    const exit = exited(child);
    await waitFor(() => existsSync(marker), "the writer to reach the rename");
    // The new vault is fully written and fsynced in a temp file right now; kill before the rename.
    assert.ok(
      (await readdir(folder.path)).some((name) => name.endsWith(".tmp")),
      "a temp file is in place",
    );
    child.kill("SIGKILL");
    assert.equal((await exit).signal, "SIGKILL");

    assert.deepEqual(await readFile(vaultPath), before, "the vault file is the one before the write");
    forgetDerivedKeys();
    assert.deepEqual(await vault().keys.list(), ["alpha"]);

    // The dead writer's vault.lock is taken over at once (it names a dead pid; it is far from stale by age)
    // and its temp file is swept by the next writer.
    await vault({ lockStaleMs: 3_600_000 }).keys.set("gamma", sampleKey());
    assert.deepEqual(await vault().keys.list(), ["alpha", "gamma"]);
    assert.deepEqual(
      (await readdir(folder.path)).filter((name) => name !== "writer-paused"),
      ["vault"],
    );
  });

  it("keeps the vault readable when a busy writer is killed at an arbitrary moment", async () => {
    await vault().keys.set("alpha", sampleKey());
    const child = startWriter(["churn"]);
    const exit = exited(child);
    let writes = 0;
    child.stdout?.on("data", (chunk: Buffer) => {
      writes += chunk
        .toString()
        .split("\n")
        .filter((line) => line.startsWith("wrote")).length;
    });
    await waitFor(() => writes >= 15, "the writer to make some writes");
    child.kill("SIGKILL");
    await exit;
    forgetDerivedKeys();
    const names = await vault().keys.list();
    assert.equal(names[0], "alpha");
    assert.ok(names.length >= 2 && names.slice(1).every((name) => name.startsWith("churn-")), String(names));
  });

  it("loses no entry when four processes add keys at the same time", async () => {
    await vault().keys.set("seed", sampleKey());
    const writers = ["w1", "w2", "w3", "w4"].map((prefix) => exited(startWriter(["keys", prefix, "5"])));
    const results = await Promise.all(writers);
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    forgetDerivedKeys();
    const names = await vault().keys.list();
    assert.equal(names.length, 21);
    for (const prefix of ["w1", "w2", "w3", "w4"]) {
      for (let i = 0; i < 5; i++) assert.ok(names.includes(`${prefix}-${i}`), `${prefix}-${i} is kept`);
    }
  });
});
