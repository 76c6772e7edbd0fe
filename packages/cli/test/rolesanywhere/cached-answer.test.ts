import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FLAG_WORDS, settingsOfWords } from "../../src/rolesanywhere/cached-answer.js";
import { FLAG_SETTINGS } from "../../src/rolesanywhere/spec-from-flags.js";

describe("the Roles Anywhere fast path reads the identity flags as commander does", () => {
  it("knows exactly the flags the full path maps to settings", () => {
    const fromTable = FLAG_SETTINGS.map(([flag, key]) => [
      `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
      key,
    ]);
    assert.deepEqual(Object.entries(FLAG_WORDS).sort(), fromTable.sort());
  });

  it("takes `--flag value` and `--flag=value`, the last one winning", () => {
    assert.deepEqual(
      settingsOfWords([
        "--certificate",
        "a.pem",
        "--private-key=a.key",
        "--region",
        "eu-west-1",
        "--region=ap-northeast-1",
      ]),
      { certificate: "a.pem", private_key: "a.key", region: "ap-northeast-1" },
    );
  });

  it("leaves anything else to the full path", () => {
    for (const words of [
      ["--profile", "lab"],
      ["--certificate", "a.pem", "--no-cache"],
      ["--help"],
      ["stray"],
      ["--certificate"],
      ["--certificate", "--private-key", "a.key"],
    ]) {
      assert.equal(settingsOfWords(words), undefined, words.join(" "));
    }
  });
});
