import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { holds } from "./condition-helpers.js";

describe("String condition operators", () => {
  it("StringEquals is case-sensitive and ORs the policy values", () => {
    assert.equal(holds("StringEquals", "aws:username", "alice", { "aws:username": "alice" }), true);
    assert.equal(holds("StringEquals", "aws:username", "alice", { "aws:username": "Alice" }), false);
    assert.equal(holds("StringEquals", "aws:username", ["bob", "alice"], { "aws:username": "alice" }), true);
  });

  it("StringEquals treats * literally", () => {
    assert.equal(holds("StringEquals", "k", "a*", { k: "abc" }), false);
    assert.equal(holds("StringEquals", "k", "a*", { k: "a*" }), true);
  });

  it("StringNotEquals holds only when no value equals", () => {
    assert.equal(holds("StringNotEquals", "k", ["a", "b"], { k: "c" }), true);
    assert.equal(holds("StringNotEquals", "k", ["a", "b"], { k: "b" }), false);
  });

  it("IgnoreCase forms compare without case", () => {
    assert.equal(holds("StringEqualsIgnoreCase", "k", "JohnDoe", { k: "johndoe" }), true);
    assert.equal(holds("StringNotEqualsIgnoreCase", "k", "JohnDoe", { k: "johndoe" }), false);
    assert.equal(holds("StringNotEqualsIgnoreCase", "k", "JohnDoe", { k: "jane" }), true);
  });

  it("StringLike supports * and ? and stays case-sensitive", () => {
    assert.equal(holds("StringLike", "k", "proj-*", { k: "proj-a" }), true);
    assert.equal(holds("StringLike", "k", "proj-?", { k: "proj-ab" }), false);
    assert.equal(holds("StringLike", "k", "proj-??", { k: "proj-ab" }), true);
    assert.equal(holds("StringLike", "k", "Proj-*", { k: "proj-a" }), false);
    assert.equal(holds("StringNotLike", "k", ["a*", "b*"], { k: "cat" }), true);
    assert.equal(holds("StringNotLike", "k", ["a*", "b*"], { k: "bat" }), false);
  });

  it("condition key names are case-insensitive", () => {
    assert.equal(holds("StringEquals", "AWS:UserName", "alice", { "aws:username": "alice" }), true);
    assert.equal(holds("stringequals", "aws:username", "alice", { "AWS:USERNAME": "alice" }), true);
  });

  it("an absent key fails a positive operator and satisfies a negated one", () => {
    assert.equal(holds("StringEquals", "k", "a", {}), false);
    assert.equal(holds("StringLike", "k", "*", {}), false);
    assert.equal(holds("StringNotEquals", "k", "a", {}), true);
    assert.equal(holds("StringNotLike", "k", "a", {}), true);
  });

  it("IfExists makes an absent key satisfy and leaves a present key's test unchanged", () => {
    assert.equal(holds("StringEqualsIfExists", "k", "a", {}), true);
    assert.equal(holds("StringEqualsIfExists", "k", "a", { k: "b" }), false);
    assert.equal(holds("StringEqualsIfExists", "k", "a", { k: "a" }), true);
  });

  it("a single-valued operator never matches a multivalued key", () => {
    assert.equal(holds("StringEquals", "aws:TagKeys", "a", { "aws:TagKeys": ["a"] }), false);
    assert.equal(holds("StringNotEquals", "aws:TagKeys", "z", { "aws:TagKeys": ["a", "b"] }), false);
  });

  it("policy values that are numbers or booleans compare as their text", () => {
    assert.equal(holds("StringEquals", "k", 42, { k: "42" }), true);
    assert.equal(holds("StringEquals", "k", true, { k: "true" }), true);
  });
});
