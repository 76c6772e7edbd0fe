// A local write that fails while ssh streams a part (a full disk) must stop that ssh and be the answer, said
// as the disk's failure; left unheard, the stream's error event would end the process before any clean-up.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { runSsh } from "../../src/sessions/copy/ssh-client.js";

function fullDisk(): Writable {
  return new Writable({
    write(_chunk, _encoding, done) {
      done(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }));
    },
  });
}

test("ENOSPC on the local copy stops the endless writer and rejects with the disk's words and a hint", async () => {
  // `cat /dev/zero` never ends by itself: only the kill the write error causes ends it.
  await assert.rejects(
    runSsh("cat", ["/dev/zero"], { output: fullDisk() }),
    (error: Error & { hint?: string }) => {
      assert.equal(error.message, "cannot write the copy on this machine: no space left on device");
      assert.match(error.hint ?? "", /free some space or copy to another disk; nothing was left/);
      return true;
    },
  );
});

test("a writer that takes everything resolves with ssh's exit status", async () => {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  const result = await runSsh("sh", ["-c", "printf abcdef; exit 3"], { output: sink });
  assert.equal(result.code, 3);
  assert.equal(bytes, 6);
});

test("a failed part is said in dd's own error line, not its byte-count summary", async () => {
  const { reasonOf } = await import("../../src/sessions/copy/copy-steps.js");
  // GNU dd's stderr on a full disk: the error first, then the records and bytes it managed.
  const stderr = [
    "dd: error writing '/srv/in/big.bin.tobira-1a2b': No space left on device",
    "13+0 records in",
    "12+0 records out",
    "786432 bytes (786 kB, 768 KiB) copied, 0.70103 s, 1.1 MB/s",
    "",
  ].join("\n");
  assert.equal(
    reasonOf({ code: 1, stdout: "", stderr }),
    "dd: error writing '/srv/in/big.bin.tobira-1a2b': No space left on device",
  );
  assert.equal(reasonOf({ code: 1, stdout: "", stderr: "sh: 1: dd: not found\n" }), "sh: 1: dd: not found");
  assert.equal(reasonOf({ code: 255, stdout: "", stderr: "" }), "ssh exited 255");
});
