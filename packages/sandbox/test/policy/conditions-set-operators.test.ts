import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { holds } from "./condition-helpers.js";

describe("ForAnyValue / ForAllValues", () => {
  const tags = { "aws:TagKeys": ["Project", "Owner"] };

  it("ForAllValues holds when every request value matches some policy value", () => {
    assert.equal(holds("ForAllValues:StringEquals", "aws:TagKeys", ["Project", "Owner", "Env"], tags), true);
    assert.equal(holds("ForAllValues:StringEquals", "aws:TagKeys", ["Project"], tags), false);
  });

  it("ForAnyValue holds when at least one request value matches", () => {
    assert.equal(holds("ForAnyValue:StringEquals", "aws:TagKeys", ["Owner"], tags), true);
    assert.equal(holds("ForAnyValue:StringEquals", "aws:TagKeys", ["Env"], tags), false);
  });

  it("ForAllValues holds for an absent key and for an empty list; ForAnyValue does not", () => {
    assert.equal(holds("ForAllValues:StringEquals", "aws:TagKeys", ["x"], {}), true);
    assert.equal(holds("ForAllValues:StringEquals", "aws:TagKeys", ["x"], { "aws:TagKeys": [] }), true);
    assert.equal(holds("ForAnyValue:StringEquals", "aws:TagKeys", ["x"], {}), false);
    assert.equal(holds("ForAnyValue:StringEquals", "aws:TagKeys", ["x"], { "aws:TagKeys": [] }), false);
  });

  it("a negated operator under a set operator applies per request value", () => {
    // Every tag key is outside the forbidden list.
    assert.equal(holds("ForAllValues:StringNotEquals", "aws:TagKeys", ["Secret"], tags), true);
    assert.equal(holds("ForAllValues:StringNotEquals", "aws:TagKeys", ["Owner"], tags), false);
    // Some tag key is outside the list.
    assert.equal(holds("ForAnyValue:StringNotEquals", "aws:TagKeys", ["Owner"], tags), true);
    assert.equal(holds("ForAnyValue:StringNotEquals", "aws:TagKeys", ["Owner", "Project"], tags), false);
    // Absent key: ForAnyValue stays false even when negated.
    assert.equal(holds("ForAnyValue:StringNotEquals", "aws:TagKeys", ["Owner"], {}), false);
  });

  it("a single-valued key is read as a one-element set", () => {
    assert.equal(holds("ForAnyValue:StringLike", "k", ["a*"], { k: "abc" }), true);
    assert.equal(holds("ForAllValues:StringLike", "k", ["b*"], { k: "abc" }), false);
  });

  it("IfExists on a set operator makes an absent key satisfy, as AWS documents for …IfExists", () => {
    assert.equal(holds("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", ["x"], {}), true);
    assert.equal(holds("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", ["x"], tags), false);
  });

  it("set operators work with other families", () => {
    assert.equal(holds("ForAnyValue:NumericGreaterThan", "k", "5", { k: ["1", "9"] }), true);
    assert.equal(holds("ForAllValues:NumericGreaterThan", "k", "5", { k: ["1", "9"] }), false);
  });
});

describe("Null", () => {
  it('"true" means the key is absent, "false" that it is present', () => {
    assert.equal(holds("Null", "aws:TokenIssueTime", "true", {}), true);
    assert.equal(
      holds("Null", "aws:TokenIssueTime", "true", { "aws:TokenIssueTime": "2026-01-01T00:00:00Z" }),
      false,
    );
    assert.equal(
      holds("Null", "aws:TokenIssueTime", "false", { "aws:TokenIssueTime": "2026-01-01T00:00:00Z" }),
      true,
    );
    assert.equal(holds("Null", "aws:TokenIssueTime", false, {}), false);
    assert.equal(holds("Null", "aws:TokenIssueTime", "TRUE", {}), true);
  });

  it("a multivalued key is present", () => {
    assert.equal(holds("Null", "aws:TagKeys", "false", { "aws:TagKeys": ["a"] }), true);
  });
});
