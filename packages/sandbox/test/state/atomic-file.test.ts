import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { writeFileAtomic } from "../../src/state/atomic-file.js";
import { withTempFolder } from "./temp-folder.js";

describe("writeFileAtomic", () => {
  it("replaces the content whole, 0600 unless told otherwise, whatever the umask", () => {
    withTempFolder((dir) => {
      const path = join(dir, "state.json");
      const umask = process.umask(0o077);
      try {
        writeFileAtomic(path, "old");
        writeFileAtomic(path, "new");
        assert.equal(readFileSync(path, "utf8"), "new");
        assert.equal(statSync(path).mode & 0o777, 0o600);
        writeFileAtomic(join(dir, "sandbox.json"), "{}", 0o644);
        assert.equal(statSync(join(dir, "sandbox.json")).mode & 0o777, 0o644);
      } finally {
        process.umask(umask);
      }
      assert.deepEqual(readdirSync(dir).sort(), ["sandbox.json", "state.json"], "no temp file stays behind");
    });
  });

  it("leaves neither a temp file nor a changed target when the rename fails", () => {
    withTempFolder((dir) => {
      mkdirSync(join(dir, "occupied"));
      mkdirSync(join(dir, "occupied", "inside"));
      assert.throws(() => writeFileAtomic(join(dir, "occupied"), "x"));
      assert.deepEqual(readdirSync(dir), ["occupied"]);
      assert.ok(statSync(join(dir, "occupied")).isDirectory());
    });
  });
});
