import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTargetQuery } from "../../src/sessions/ssm/target-query.js";

test("instance ids, long and short, are instance-id lookups", () => {
  assert.deepEqual(parseTargetQuery("i-0a1a0000000000001"), {
    kind: "instance-id",
    id: "i-0a1a0000000000001",
  });
  assert.deepEqual(parseTargetQuery("i-0a1a0001"), { kind: "instance-id", id: "i-0a1a0001" });
});

test("mi- ids are managed-node lookups", () => {
  assert.deepEqual(parseTargetQuery("mi-0123456789abcdef0"), {
    kind: "managed-id",
    id: "mi-0123456789abcdef0",
  });
});

test("tag:K=V, tag:K (any value), and a value holding '='", () => {
  assert.deepEqual(parseTargetQuery("tag:Project=project-a"), {
    kind: "tag",
    key: "Project",
    value: "project-a",
  });
  assert.deepEqual(parseTargetQuery("tag:Project"), { kind: "tag", key: "Project", value: "*" });
  assert.deepEqual(parseTargetQuery("tag:k=a=b"), { kind: "tag", key: "k", value: "a=b" });
});

test("IPv4 addresses are private-IP lookups; out-of-range numbers are not", () => {
  assert.deepEqual(parseTargetQuery("10.0.1.10"), { kind: "ip", ip: "10.0.1.10" });
  assert.equal(parseTargetQuery("10.0.1.256").kind, "name");
});

test("EC2 private DNS names, short and full", () => {
  assert.deepEqual(parseTargetQuery("ip-10-0-1-10"), { kind: "dns", name: "ip-10-0-1-10" });
  assert.deepEqual(parseTargetQuery("ip-10-0-1-10.ap-northeast-1.compute.internal"), {
    kind: "dns",
    name: "ip-10-0-1-10.ap-northeast-1.compute.internal",
  });
});

test("anything else is the Name tag, wildcards kept", () => {
  assert.deepEqual(parseTargetQuery("web-a"), { kind: "name", name: "web-a" });
  assert.deepEqual(parseTargetQuery("web-*"), { kind: "name", name: "web-*" });
  // Not an instance id: wrong length and not hex.
  assert.equal(parseTargetQuery("i-web").kind, "name");
});
