// The destination probe `tobira cp` runs on the instance before any part is sent, run here by the real
// /bin/sh against real folders: what it prints, its exit status and its words on stderr for each refusal.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { PROBE_EXIT, probeDestination, probeSource } from "../../src/sessions/copy/remote-commands.js";

const root = mkdtempSync(join(tmpdir(), "tobira-probe-"));
// Reachable by the unprivileged user the unwritable case runs as.
chmodSync(root, 0o755);
after(() => rmSync(root, { recursive: true, force: true }));

/** As root, `-w` is true everywhere: the unwritable case runs as nobody (65534) there. */
const asRoot = process.getuid?.() === 0;

function probe(path: string, asNobody = false) {
  const run = spawnSync("/bin/sh", ["-c", probeDestination(path)], {
    encoding: "utf8",
    cwd: root,
    ...(asNobody && asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  return { code: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim() };
}

test("a folder takes the file in; a new name in a folder is the file's path", () => {
  const folder = join(root, "in");
  mkdirSync(folder);
  assert.deepEqual(probe(folder), { code: 0, stdout: "dir", stderr: "" });
  assert.deepEqual(probe(`${folder}/`), { code: 0, stdout: "dir", stderr: "" });
  assert.deepEqual(probe(join(folder, "new.bin")), { code: 0, stdout: "path", stderr: "" });
  writeFileSync(join(folder, "old.bin"), "x");
  assert.deepEqual(probe(join(folder, "old.bin")), { code: 0, stdout: "path", stderr: "" });
});

test("quotes, spaces and a leading dash in the path are one word for sh", () => {
  const folder = join(root, "it's a -dir");
  mkdirSync(folder);
  assert.deepEqual(probe(folder), { code: 0, stdout: "dir", stderr: "" });
  const pwned = join(root, "pwned");
  assert.deepEqual(probe(join(folder, "$(touch pwned)")), { code: 0, stdout: "path", stderr: "" });
  assert.equal(existsSync(pwned), false, "nothing in the path ran");
});

test("a trailing slash on no folder, or a missing parent, is refused with the folder named", () => {
  const missing = join(root, "nope");
  assert.deepEqual(probe(`${missing}/`), {
    code: PROBE_EXIT.noFolder,
    stdout: "",
    stderr: `no folder ${missing}/`,
  });
  assert.deepEqual(probe(join(missing, "file.bin")), {
    code: PROBE_EXIT.noFolder,
    stdout: "",
    stderr: `no folder ${missing}`,
  });
  writeFileSync(join(root, "plain"), "x");
  assert.equal(probe(join(root, "plain", "file.bin")).code, PROBE_EXIT.noFolder, "a file is no folder");
});

test("a folder the login may not write in is refused before a byte is sent", () => {
  const locked = join(root, "locked");
  mkdirSync(locked);
  chmodSync(locked, 0o555);
  assert.deepEqual(probe(locked, true), {
    code: PROBE_EXIT.notWritable,
    stdout: "",
    stderr: `cannot write in ${locked}`,
  });
  assert.deepEqual(probe(join(locked, "f.bin"), true), {
    code: PROBE_EXIT.notWritable,
    stdout: "",
    stderr: `cannot write in ${locked}`,
  });
});

test("a download's source that is no regular file exits with its own status, not the no-folder one", () => {
  const run = spawnSync("/bin/sh", ["-c", probeSource(join(root, "absent.bin"))], { encoding: "utf8" });
  assert.equal(run.status, 65);
  assert.equal(PROBE_EXIT.noFile, 65);
  assert.notEqual(PROBE_EXIT.noFile, PROBE_EXIT.noFolder);
  assert.equal(run.stderr.trim(), "not a regular file");
  const file = join(root, "three.bin");
  writeFileSync(file, "abc");
  const found = spawnSync("/bin/sh", ["-c", probeSource(file)], { encoding: "utf8" });
  assert.equal(found.status, 0);
  // sha256("abc"), from FIPS 180-2's example.
  assert.equal(
    found.stdout.trim().split(/\s+/).join(" "),
    "3 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});
