import assert from "node:assert/strict";
import { test } from "node:test";
import { PipedInputEnd } from "../../src/sessions/shell/piped-input-end.js";

test("Ctrl-D at the end of input, again after output then quiet, and no more than the repeats allowed", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const sent: number[][] = [];
  const end = new PipedInputEnd((bytes) => sent.push([...bytes]), { quietMs: 300, maxRepeats: 2 });
  end.outputSeen(); // before the input ended: nothing to repeat
  t.mock.timers.tick(1000);
  assert.deepEqual(sent, []);
  end.inputEnded();
  assert.deepEqual(sent, [[0x04]]);
  end.outputSeen();
  t.mock.timers.tick(299);
  end.outputSeen(); // still writing: the quiet period starts over
  t.mock.timers.tick(299);
  assert.equal(sent.length, 1);
  t.mock.timers.tick(1);
  assert.deepEqual(sent, [[0x04], [0x04]]);
  end.outputSeen();
  t.mock.timers.tick(300);
  end.outputSeen();
  t.mock.timers.tick(300);
  assert.equal(sent.length, 3, "two repeats at most");
});

test("stop() cancels a pending repeat", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const sent: Uint8Array[] = [];
  const end = new PipedInputEnd((bytes) => sent.push(bytes));
  end.inputEnded();
  end.outputSeen();
  end.stop();
  t.mock.timers.tick(10_000);
  assert.equal(sent.length, 1);
});
