// The demo's narration wraps to the terminal's width, at most 100 columns: words stay whole, and ARNs longer than a line are cut, not overflowed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { outputWidth, ruledHeading, wrapText } from "../../src/output/wrap.js";

test("wraps at word boundaries within the width, each line indented", () => {
  assert.deepEqual(wrapText("aaa bbb ccc ddd", { width: 9, indent: "  " }), ["  aaa bbb", "  ccc ddd"]);
});

test("a word longer than a line is cut at the width", () => {
  assert.deepEqual(wrapText("0123456789abc", { width: 5 }), ["01234", "56789", "abc"]);
});

test("newlines start new lines and runs of spaces collapse", () => {
  assert.deepEqual(wrapText("one   two\nthree", { width: 20 }), ["one two", "three"]);
});

test("an AWS denial message fits 100 columns", () => {
  const message =
    "AccessDenied: User: arn:aws:iam::111111111111:user/carol is not authorized to perform: sts:AssumeRole " +
    "on resource: arn:aws:iam::222222222222:role/Role-for-switch with an explicit deny in an identity-based policy";
  const lines = wrapText(message, { indent: "      " });
  assert.ok(lines.length > 1);
  for (const line of lines) assert.ok(line.length <= 100, line);
  assert.equal(lines.map((l) => l.trim()).join(" "), message);
});

test("the width is the terminal's when stdout is one, else COLUMNS, within 60-100", () => {
  assert.equal(outputWidth({ isTTY: true, columns: 80 }, {}), 80);
  assert.equal(outputWidth({ isTTY: true, columns: 80 }, { COLUMNS: "120" }), 80);
  assert.equal(outputWidth({ isTTY: true, columns: 200 }, {}), 100);
  assert.equal(outputWidth({ isTTY: true, columns: 40 }, {}), 60);
  assert.equal(outputWidth({}, { COLUMNS: "72" }), 72);
  assert.equal(outputWidth({}, {}), 100);
  assert.equal(outputWidth({}, { COLUMNS: "wide" }), 100);
});

test("a heading too long for the width wraps under itself, its spacing kept, the rule on its last line", () => {
  const saved = process.env.COLUMNS;
  process.env.COLUMNS = "60";
  try {
    const lines = ruledHeading("2/6  the permission set's role through credential_process, from SSO").split(
      "\n",
    );
    assert.deepEqual(lines, [
      "── 2/6  the permission set's role through",
      `   credential_process, from SSO ${"─".repeat(28)}`,
    ]);
    assert.equal(ruledHeading("1/6  short"), `── 1/6  short ${"─".repeat(46)}`);
  } finally {
    if (saved === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = saved;
  }
});
