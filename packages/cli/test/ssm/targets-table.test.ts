import assert from "node:assert/strict";
import { test } from "node:test";
import type { Target } from "../../src/sessions/ssm/targets.js";
import { targetsJson, targetsTable } from "../../src/sessions/ssm/targets-table.js";

function target(overrides: Partial<Target>): Target {
  return {
    id: "i-0a1a0000000000001",
    kind: "ec2",
    name: "web-a",
    state: "running",
    pingStatus: "Online",
    platform: "Linux",
    project: "project-a",
    privateIp: "10.0.1.10",
    privateDnsName: "ip-10-0-1-10.ap-northeast-1.compute.internal",
    tags: { Name: "web-a", Project: "project-a" },
    agentVersion: "3.3.987.0",
    ...overrides,
  };
}

test("the table has the six columns and fits 100 columns even with long values", () => {
  const table = targetsTable([
    target({}),
    target({
      id: "mi-0123456789abcdef0",
      kind: "managed",
      name: "a-very-long-on-premises-server-name-indeed",
      state: "",
      pingStatus: "ConnectionLost",
      project: "a-project-name-that-goes-on-and-on",
    }),
  ]);
  const lines = table.trimEnd().split("\n");
  assert.match(lines[0]!, /^ID\s+NAME\s+STATE\s+PING\s+PLATFORM\s+PROJECT$/);
  assert.match(lines[1]!, /^i-0a1a0000000000001\s+web-a\s+running\s+Online\s+Linux\s+project-a$/);
  assert.match(
    lines[2]!,
    /^mi-0123456789abcdef0\s+a-very-long-on-prem…\s+managed\s+ConnectionLost\s+Linux\s+a-project-name-th…$/,
  );
  for (const line of lines) assert.ok([...line].length <= 100, `${[...line].length} columns: ${line}`);
});

test("unknown values show as '-' and JSON keeps every field", () => {
  const table = targetsTable([target({ pingStatus: "", project: "" })]);
  assert.match(table.split("\n")[1]!, /running\s+-\s+Linux\s+-$/);
  const json = JSON.parse(targetsJson([target({})])) as Record<string, unknown>[];
  assert.deepEqual(json[0], {
    id: "i-0a1a0000000000001",
    kind: "ec2",
    name: "web-a",
    state: "running",
    pingStatus: "Online",
    platform: "Linux",
    project: "project-a",
    privateIp: "10.0.1.10",
    privateDnsName: "ip-10-0-1-10.ap-northeast-1.compute.internal",
    agentVersion: "3.3.987.0",
    tags: { Name: "web-a", Project: "project-a" },
  });
});
