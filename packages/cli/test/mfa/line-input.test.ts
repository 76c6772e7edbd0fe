// Raw-mode line editing, fed the bytes a terminal sends for each key (written by hand, not produced by the code).
import assert from "node:assert/strict";
import { test } from "node:test";
import { LineInput } from "../../src/terminal/index.js";

test("Enter (CR, as a raw terminal sends it) finishes the line and echoes what was typed", () => {
  const input = new LineInput();
  assert.deepEqual(input.feed("12"), { echo: "12" });
  assert.deepEqual(input.feed("34\r"), { echo: "34", outcome: { kind: "line", line: "1234" } });
});

test("LF also finishes a line; anything after the end of the line is dropped", () => {
  const input = new LineInput();
  assert.deepEqual(input.feed("ab\ncd"), { echo: "ab", outcome: { kind: "line", line: "ab" } });
  assert.deepEqual(input.feed("more"), { echo: "" });
});

test("Backspace (DEL 0x7f or BS 0x08) erases one character, and nothing on an empty line", () => {
  const input = new LineInput();
  assert.deepEqual(input.feed("\x7f"), { echo: "" });
  assert.deepEqual(input.feed("abc\x7f\x08d"), { echo: "abc\b \b\b \bd" });
  assert.deepEqual(input.feed("\r"), { echo: "", outcome: { kind: "line", line: "ad" } });
});

test("Backspace removes a whole multi-byte character", () => {
  const input = new LineInput();
  input.feed("扉😀");
  assert.deepEqual(input.feed("\x7f\r"), { echo: "\b \b", outcome: { kind: "line", line: "扉" } });
});

test("Ctrl-U erases the line", () => {
  const input = new LineInput();
  input.feed("xyz");
  assert.deepEqual(input.feed("\x15"), { echo: "\b \b\b \b\b \b" });
  assert.deepEqual(input.feed("1\r"), { echo: "1", outcome: { kind: "line", line: "1" } });
});

test("Ctrl-C interrupts, whatever was typed", () => {
  const input = new LineInput();
  assert.deepEqual(input.feed("12\x03"), { echo: "12", outcome: { kind: "interrupt" } });
});

test("Ctrl-D ends input on an empty line and submits a non-empty one", () => {
  assert.deepEqual(new LineInput().feed("\x04"), { echo: "", outcome: { kind: "end" } });
  assert.deepEqual(new LineInput().feed("7\x04"), { echo: "7", outcome: { kind: "line", line: "7" } });
});

test("arrow keys, Alt+key and F1 are swallowed; Tab and other controls are ignored", () => {
  const input = new LineInput();
  // ESC [ D (left), ESC [ 1 ; 5 C (Ctrl-right), ESC O P (F1), ESC x (Alt-x), Tab, Ctrl-A
  assert.deepEqual(input.feed("1\x1b[D2\x1b[1;5C3\x1bOP4\x1bx5\t\x016\r"), {
    echo: "123456",
    outcome: { kind: "line", line: "123456" },
  });
});

test("an escape sequence split across reads is still swallowed", () => {
  const input = new LineInput();
  assert.deepEqual(input.feed("9\x1b"), { echo: "9" });
  assert.deepEqual(input.feed("[A8\r"), { echo: "8", outcome: { kind: "line", line: "98" } });
});
