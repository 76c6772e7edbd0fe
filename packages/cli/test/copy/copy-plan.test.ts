// tobira cp's pure parts: which side is remote (scp's rule: a colon before any slash), the block-aligned
// parts, and the sh words for the instance. Vectors written by hand.
import assert from "node:assert/strict";
import { test } from "node:test";
import { copyEndpoints, partsOf, remotePathOf } from "../../src/sessions/copy/copy-plan.js";
import { readPart, shellWord, writePart } from "../../src/sessions/copy/remote-commands.js";

test("[user@]HOST:PATH is remote; a slash before the colon, or nothing after it, is not", () => {
  assert.deepEqual(remotePathOf("web-a:/tmp/"), { user: undefined, host: "web-a", path: "/tmp/" });
  assert.deepEqual(remotePathOf("os-user1@i-0a1a0000000000001:x.log"), {
    user: "os-user1",
    host: "i-0a1a0000000000001",
    path: "x.log",
  });
  assert.equal(remotePathOf("./a:b"), undefined);
  assert.equal(remotePathOf("/tmp/a:b"), undefined);
  assert.equal(remotePathOf("web-a:"), undefined);
  assert.equal(remotePathOf(":x"), undefined);
  assert.equal(copyEndpoints("f.bin", "web-a:/tmp/").direction, "upload");
  assert.equal(copyEndpoints("web-a:/tmp/f.bin", ".").direction, "download");
  assert.throws(() => copyEndpoints("web-a:/a", "db-a:/b"), /both SOURCE and DEST are on instances/);
  assert.throws(() => copyEndpoints("a", "b"), /neither SOURCE nor DEST is on an instance/);
});

test("parts are whole 64 KiB blocks, as even as the blocks allow; the last one ends at the file's end", () => {
  // 6 MiB + 123 bytes = 96 full blocks and one short one: 97 blocks over 4 parts → 24, 24, 24, 25 blocks.
  assert.deepEqual(partsOf(6 * 1024 * 1024 + 123, 4), [
    { number: 1, firstBlock: 0, blocks: 24, offset: 0, length: 1572864 },
    { number: 2, firstBlock: 24, blocks: 24, offset: 1572864, length: 1572864 },
    { number: 3, firstBlock: 48, blocks: 24, offset: 3145728, length: 1572864 },
    { number: 4, firstBlock: 72, blocks: 25, offset: 4718592, length: 1572987 },
  ]);
  // Fewer blocks than sessions: one part per block.
  assert.deepEqual(partsOf(70000, 4), [
    { number: 1, firstBlock: 0, blocks: 1, offset: 0, length: 65536 },
    { number: 2, firstBlock: 1, blocks: 1, offset: 65536, length: 4464 },
  ]);
  assert.deepEqual(partsOf(0, 4), [{ number: 1, firstBlock: 0, blocks: 0, offset: 0, length: 0 }]);
});

test("the instance's commands: single-quoted paths, dd at the part's blocks", () => {
  assert.equal(shellWord("it's a $file"), `'it'\\''s a $file'`);
  const part = { number: 2, firstBlock: 24, blocks: 24, offset: 1572864, length: 1572864 };
  assert.equal(writePart("/tmp/x.tobira-1", part), "dd of='/tmp/x.tobira-1' bs=65536 seek=24 conv=notrunc");
  assert.equal(readPart("/var/log/a b.log", part), "dd if='/var/log/a b.log' bs=65536 skip=24 count=24");
});
