// The progress line of `tobira cp`: its text for hand-worked byte counts, and that it draws only on a terminal.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { progressText, terminalProgress } from "../../src/sessions/copy/copy-progress.js";

const MIB = 1048576;

test("bytes of the whole file, percent, the average rate and the time left", () => {
  // 12.5 MiB in 4 s: 3 276 800 B/s, the other 12.5 MiB in 4 s more.
  assert.equal(progressText(12.5 * MIB, 25 * MIB, 4), "12.5 of 25.0 MiB  50%  3.3 MB/s  4 s left");
  // 1 MiB of 100 MiB in 1 s: 99 s left.
  assert.equal(progressText(MIB, 100 * MIB, 1), "1.0 of 100.0 MiB  1%  1.0 MB/s  1 min 39 s left");
  // 1000 B/s with 3 725 000 bytes to go.
  assert.equal(progressText(1000, 3_726_000, 1), "0.0 of 3.6 MiB  0%  0.0 MB/s  1 h 02 min left");
});

test("no time left once done, an empty file is whole, and a counter ahead of the file is capped", () => {
  assert.equal(progressText(2 * MIB, 2 * MIB, 2), "2.0 of 2.0 MiB  100%  1.0 MB/s");
  assert.equal(progressText(0, 0, 0), "0.0 of 0.0 MiB  100%  0.0 MB/s");
  assert.equal(progressText(3 * MIB, 2 * MIB, 1), "2.0 of 2.0 MiB  100%  2.1 MB/s");
  assert.equal(progressText(0, MIB, 0), "0.0 of 1.0 MiB  0%  0.0 MB/s");
});

function sink(isTTY: boolean) {
  let written = "";
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    }),
    { isTTY, columns: 30 },
  );
  return { stream, written: () => written };
}

test("on a terminal the line is redrawn within its width and cleared at the end; elsewhere nothing", async () => {
  const tty = sink(true);
  const shown = terminalProgress(tty.stream)(4 * MIB);
  shown.count(() => MIB);
  shown.count(() => MIB);
  await new Promise((resolve) => setTimeout(resolve, 400));
  shown.stop();
  const draws = tty.written().split("\r").filter(Boolean);
  assert.ok(draws.length >= 2, tty.written());
  assert.match(draws[0]!, /^2\.0 of 4\.0 MiB {2}50% {2}.{0,9}\x1b\[K$/);
  assert.ok(
    draws.every((draw) => draw.replace("\x1b[K", "").length <= 29),
    "cut to the width",
  );
  assert.equal(draws.at(-1), "\x1b[K", "cleared");
  const pipe = sink(false);
  const silent = terminalProgress(pipe.stream)(MIB);
  silent.count(() => MIB);
  await new Promise((resolve) => setTimeout(resolve, 300));
  silent.stop();
  assert.equal(pipe.written(), "");
});
