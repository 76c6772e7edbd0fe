import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { sharedSecretFileWarning } from "../../src/files/secret-file-mode.js";

const dir = mkdtempSync(join(tmpdir(), "tobira-secret-mode-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function fileWithMode(name: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, "correct horse\n");
  chmodSync(path, mode);
  return path;
}

test("a 0600 or 0400 passphrase file gets no warning", () => {
  assert.equal(sharedSecretFileWarning(fileWithMode("owner-rw", 0o600), "X"), undefined);
  assert.equal(sharedSecretFileWarning(fileWithMode("owner-r", 0o400), "X"), undefined);
  // Write or execute bits for others expose nothing to read.
  assert.equal(sharedSecretFileWarning(fileWithMode("odd", 0o622), "X"), undefined);
});

test("readable by the group or by others: the mode and the chmod that fixes it, never the content", () => {
  const world = fileWithMode("world", 0o644);
  assert.equal(
    sharedSecretFileWarning(world, "TOBIRA_VAULT_PASSPHRASE_FILE"),
    `warning: TOBIRA_VAULT_PASSPHRASE_FILE ${world} can be read by other users (mode 0644); run: chmod 600 ${world}`,
  );
  const group = fileWithMode("group", 0o640);
  assert.match(sharedSecretFileWarning(group, "X") ?? "", /\(mode 0640\)/);
  assert.doesNotMatch(sharedSecretFileWarning(group, "X") ?? "", /horse/);
});

test("a file that is not there is left to the reader's own error", () => {
  assert.equal(sharedSecretFileWarning(join(dir, "missing"), "X"), undefined);
});
