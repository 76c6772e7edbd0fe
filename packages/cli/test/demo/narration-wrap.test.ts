// The demo's narration wraps to 100 columns: words stay whole, and ARNs longer than a line are cut, not overflowed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { wrapText } from "../../src/output/wrap.js";

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
