import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { holds } from "./condition-helpers.js";

describe("Numeric operators", () => {
  it("compare numbers, not text", () => {
    assert.equal(holds("NumericEquals", "k", "10", { k: "10.0" }), true);
    assert.equal(
      holds("NumericLessThan", "aws:MultiFactorAuthAge", "3600", { "aws:MultiFactorAuthAge": "900" }),
      true,
    );
    assert.equal(holds("NumericLessThan", "k", "9", { k: "10" }), false);
    assert.equal(holds("NumericLessThanEquals", "k", "10", { k: "10" }), true);
    assert.equal(holds("NumericGreaterThan", "k", "-1", { k: "0" }), true);
    assert.equal(holds("NumericGreaterThanEquals", "k", "0.5", { k: ".5" }), true);
    assert.equal(holds("NumericNotEquals", "k", ["1", "2"], { k: "3" }), true);
    assert.equal(holds("NumericNotEquals", "k", ["1", "2"], { k: "2" }), false);
  });

  it("a value that is not a number matches neither the operator nor its negation", () => {
    assert.equal(holds("NumericEquals", "k", "1", { k: "one" }), false);
    assert.equal(holds("NumericNotEquals", "k", "1", { k: "one" }), false);
    assert.equal(holds("NumericEquals", "k", "1x", { k: "1" }), false);
  });
});

describe("Date operators", () => {
  it("compare ISO-8601 instants", () => {
    const now = { "aws:CurrentTime": "2026-11-22T06:54:59Z" };
    assert.equal(holds("DateLessThan", "aws:CurrentTime", "2026-12-31T00:00:00Z", now), true);
    assert.equal(holds("DateGreaterThan", "aws:CurrentTime", "2026-12-31T00:00:00Z", now), false);
    assert.equal(holds("DateEquals", "aws:CurrentTime", "2026-11-22T07:54:59+01:00", now), true);
    assert.equal(holds("DateNotEquals", "aws:CurrentTime", "2026-11-22T06:54:58Z", now), true);
    assert.equal(holds("DateLessThanEquals", "aws:CurrentTime", "2026-11-22T06:54:59Z", now), true);
    assert.equal(holds("DateGreaterThanEquals", "aws:CurrentTime", "2026-11-22", now), true);
  });

  it("accept epoch seconds on either side and compare them with ISO-8601", () => {
    // 1700000000 s = 2023-11-14T22:13:20Z
    assert.equal(holds("DateEquals", "k", "1700000000", { k: "2023-11-14T22:13:20Z" }), true);
    assert.equal(holds("DateLessThan", "k", "2023-11-14T22:13:21Z", { k: "1700000000" }), true);
    assert.equal(holds("DateGreaterThan", "k", "1700000001", { k: "1700000000" }), false);
  });

  it("a value that is not a date matches nothing", () => {
    assert.equal(holds("DateLessThan", "k", "2026-01-01T00:00:00Z", { k: "yesterday" }), false);
    assert.equal(holds("DateNotEquals", "k", "2026-01-01T00:00:00Z", { k: "yesterday" }), false);
  });
});

describe("Bool and BinaryEquals", () => {
  it("Bool compares true/false without case", () => {
    assert.equal(
      holds("Bool", "aws:MultiFactorAuthPresent", "true", { "aws:MultiFactorAuthPresent": "true" }),
      true,
    );
    assert.equal(
      holds("Bool", "aws:MultiFactorAuthPresent", true, { "aws:MultiFactorAuthPresent": "TRUE" }),
      true,
    );
    assert.equal(
      holds("Bool", "aws:MultiFactorAuthPresent", "false", { "aws:MultiFactorAuthPresent": "true" }),
      false,
    );
    assert.equal(holds("Bool", "aws:MultiFactorAuthPresent", "true", {}), false);
    assert.equal(holds("BoolIfExists", "aws:MultiFactorAuthPresent", "false", {}), true);
    assert.equal(holds("Bool", "k", "yes", { k: "true" }), false);
  });

  it("BinaryEquals compares the base64 text", () => {
    assert.equal(holds("BinaryEquals", "k", "QmluYXJ5VmFsdWU=", { k: "QmluYXJ5VmFsdWU=" }), true);
    assert.equal(holds("BinaryEquals", "k", "QmluYXJ5VmFsdWU=", { k: "QmluYXJ5VmFsdWF=" }), false);
  });
});

describe("IpAddress / NotIpAddress", () => {
  it("match IPv4 CIDR blocks and single addresses", () => {
    assert.equal(
      holds("IpAddress", "aws:SourceIp", "203.0.113.0/24", { "aws:SourceIp": "203.0.113.77" }),
      true,
    );
    assert.equal(
      holds("IpAddress", "aws:SourceIp", "203.0.113.0/24", { "aws:SourceIp": "203.0.114.1" }),
      false,
    );
    assert.equal(holds("IpAddress", "aws:SourceIp", "203.0.113.5", { "aws:SourceIp": "203.0.113.5" }), true);
    assert.equal(holds("IpAddress", "aws:SourceIp", "0.0.0.0/0", { "aws:SourceIp": "8.8.8.8" }), true);
    assert.equal(
      holds("NotIpAddress", "aws:SourceIp", ["10.0.0.0/8", "192.168.0.0/16"], { "aws:SourceIp": "8.8.8.8" }),
      true,
    );
    assert.equal(
      holds("NotIpAddress", "aws:SourceIp", ["10.0.0.0/8"], { "aws:SourceIp": "10.1.2.3" }),
      false,
    );
  });

  it("match IPv6 blocks, including compressed forms", () => {
    const ctx = { "aws:SourceIp": "2001:db8:0:0:0:0:0:1" };
    assert.equal(
      holds("IpAddress", "aws:SourceIp", "2001:DB8:1234:5678::/64", {
        "aws:SourceIp": "2001:db8:1234:5678::9",
      }),
      true,
    );
    assert.equal(holds("IpAddress", "aws:SourceIp", "2001:db8::/32", ctx), true);
    assert.equal(holds("IpAddress", "aws:SourceIp", "2001:db9::/32", ctx), false);
    assert.equal(holds("IpAddress", "aws:SourceIp", "2001:db8::1", ctx), true);
  });

  it("an address of the other IP version is outside the block", () => {
    assert.equal(holds("IpAddress", "aws:SourceIp", "10.0.0.0/8", { "aws:SourceIp": "::1" }), false);
    assert.equal(holds("NotIpAddress", "aws:SourceIp", "10.0.0.0/8", { "aws:SourceIp": "::1" }), true);
  });

  it("a request value that is not an address matches neither operator", () => {
    assert.equal(holds("IpAddress", "aws:SourceIp", "10.0.0.0/8", { "aws:SourceIp": "10.0.0" }), false);
    assert.equal(holds("NotIpAddress", "aws:SourceIp", "10.0.0.0/8", { "aws:SourceIp": "host" }), false);
  });
});

describe("ARN operators", () => {
  const role = { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/ops/Admin" };
  it("ArnLike and ArnEquals match each part with wildcards", () => {
    assert.equal(holds("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:role/ops/*", role), true);
    assert.equal(holds("ArnEquals", "aws:PrincipalArn", "arn:aws:iam::111111111111:role/ops/*", role), true);
    assert.equal(holds("ArnLike", "aws:PrincipalArn", "arn:aws:iam::222222222222:role/*", role), false);
    assert.equal(holds("ArnNotLike", "aws:PrincipalArn", "arn:aws:iam::222222222222:role/*", role), true);
    assert.equal(
      holds("ArnNotEquals", "aws:PrincipalArn", "arn:aws:iam::111111111111:role/ops/Admin", role),
      false,
    );
  });

  it("a wildcard in one part does not reach across a colon", () => {
    assert.equal(holds("ArnLike", "k", "arn:aws:*", { k: "arn:aws:iam::1:role/x" }), false);
    assert.equal(holds("ArnLike", "k", "arn:aws:*:*:*:*", { k: "arn:aws:iam::1:role/x" }), true);
  });

  it("ARN matching is case-sensitive", () => {
    assert.equal(
      holds("ArnLike", "aws:PrincipalArn", "arn:aws:iam::111111111111:role/ops/admin", role),
      false,
    );
  });

  it("a request value that is not an ARN matches neither operator", () => {
    assert.equal(holds("ArnLike", "k", "arn:aws:iam::*:role/*", { k: "not-an-arn" }), false);
    assert.equal(holds("ArnNotLike", "k", "arn:aws:iam::*:role/*", { k: "not-an-arn" }), false);
  });
});

describe("unknown operators", () => {
  it("never hold", () => {
    assert.equal(holds("StringSortaEquals", "k", "a", { k: "a" }), false);
    assert.equal(holds("Maybe:StringEquals", "k", "a", { k: "a" }), false);
    assert.equal(holds("ForAnyValue:Null", "k", "true", {}), false);
  });
});
