// The world file's hybridActivations section: the nodes it registers become mi-… instances with the
// activation's role and tags, and each mistake is named at its place, as in the rest of the world file.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatIssue, parseWorld, WorldError } from "../../src/world/index.js";

const BASE = `accounts: [{ id: "333333333333" }]
region: ap-northeast-1
roles:
  - name: NodeRole
    account: "333333333333"
    trust: { Statement: { Effect: Allow, Principal: { Service: ssm.amazonaws.com }, Action: sts:AssumeRole } }
  - name: Ec2Role
    account: "333333333333"
    trust: { Statement: { Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole } }
instances: [{ id: mi-00000000000000001, name: edge, account: "333333333333" }]
`;

function problems(section: string): string[] {
  try {
    parseWorld(BASE + section, "w.yaml");
  } catch (error) {
    assert.ok(error instanceof WorldError, String(error));
    // The lines count from the base world above the section; the places are what these tests check.
    return error.issues.map((issue) => formatIssue(issue).replace(/ \(line \d+, column \d+\)$/, ""));
  }
  assert.fail("the world was accepted");
}

describe("world file: hybridActivations", () => {
  it("registers its nodes as mi- instances with the activation's role, tags and a stable id", () => {
    const section = `hybridActivations:
  - name: lab
    account: "333333333333"
    iamRole: NodeRole
    tags: { Project: p, Site: osaka }
    nodes:
      - { name: db, tags: { Site: kobe }, ports: [{ port: 5432, service: tcp, target: "127.0.0.1:5432" }] }
      - { name: web, platform: Windows, privateIp: 192.168.10.10, registeredAt: "2024-04-01T06:00:00Z" }
`;
    const world = parseWorld(BASE + section, "w.yaml");
    const [lab] = world.hybridActivations!;
    assert.match(lab!.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(lab!.registrationLimit, 2);
    assert.equal(lab!.expirationDate, "2024-04-02T00:00:00.000Z");
    const nodes = world.instances.filter((i) => i.activationId === lab!.id);
    assert.deepEqual(
      nodes.map((n) => [n.name, n.role, n.platform, n.privateIp, n.tags, n.ports, n.registeredAt]),
      [
        [
          "db",
          "NodeRole",
          "Linux",
          "192.168.10.11",
          { Project: "p", Site: "kobe" },
          [{ port: 5432, service: "tcp", target: "127.0.0.1:5432" }],
          "2024-04-01T00:00:00.000Z",
        ],
        [
          "web",
          "NodeRole",
          "Windows",
          "192.168.10.10",
          { Project: "p", Site: "osaka" },
          [],
          "2024-04-01T06:00:00.000Z",
        ],
      ],
    );
    assert.deepEqual(
      lab!.nodeIds,
      nodes.map((n) => n.id),
    );
    assert.ok(nodes.every((n) => /^mi-[0-9a-f]{17}$/.test(n.id)));
    assert.deepEqual(parseWorld(BASE + section, "w.yaml"), world, "the same file gives the same ids");
  });

  it("names an unknown role, a role SSM may not assume, and a node beyond the limit", () => {
    assert.deepEqual(
      problems(`hybridActivations:
  - { name: a, account: "333333333333", iamRole: NodeRol, nodes: [{ name: x }] }
  - { name: b, account: "333333333333", iamRole: Ec2Role, registrationLimit: 1, nodes: [{ name: x }, { name: y }] }
`),
      [
        'hybridActivations[0].iamRole: unknown role "NodeRol" in account 333333333333 (did you mean "NodeRole"?)',
        'hybridActivations[1].iamRole: role "Ec2Role" does not trust ssm.amazonaws.com: its trust policy must allow Service ssm.amazonaws.com sts:AssumeRole',
        "hybridActivations[1].registrationLimit: 2 nodes registered through an activation whose registrationLimit is 1",
      ],
    );
  });

  it("names duplicate ids and addresses, a bad id, a port listed twice and an unknown key", () => {
    const found = problems(`hybridActivations:
  - name: a
    account: "333333333333"
    iamRole: NodeRole
    nodes:
      - { name: x, id: mi-00000000000000001 }
      - { name: y, privateIp: 192.168.10.5, ports: [{ port: 80, service: http }, { port: 80, service: echo }] }
      - { name: z, privateIp: 192.168.10.5 }
      - { name: w, id: i-01234567 }
      - { name: v, role: Other }
`);
    assert.deepEqual(found, [
      'hybridActivations[0].nodes[3].id: expected "mi-" and 17 hex digits, such as "mi-0123456789abcdef0"',
      "hybridActivations[0].nodes[4].role: unknown key",
    ]);
    const later = problems(`hybridActivations:
  - name: a
    account: "333333333333"
    iamRole: NodeRole
    registrationLimit: 5
    nodes:
      - { name: x, id: mi-00000000000000001 }
      - { name: y, privateIp: 192.168.10.5, ports: [{ port: 80, service: http }, { port: 80, service: echo }] }
      - { name: z, privateIp: 192.168.10.5 }
`);
    assert.deepEqual(later, [
      "hybridActivations[0].nodes[0].id: duplicate instance id mi-00000000000000001 (also instances[0])",
      "hybridActivations[0].nodes[1].ports[1].port: port 80 is listed twice",
      "hybridActivations[0].nodes[2].privateIp: 192.168.10.5 is already hybridActivations[0].nodes[1]'s address in 333333333333/ap-northeast-1",
    ]);
  });

  it("refuses an expiry before creation or beyond 30 days, and a registration outside it", () => {
    assert.deepEqual(
      problems(`hybridActivations:
  - { name: a, account: "333333333333", iamRole: NodeRole, created: "2024-04-01T00:00:00Z", expirationDate: "2024-06-01T00:00:00Z" }
  - name: b
    account: "333333333333"
    iamRole: NodeRole
    nodes: [{ name: x, registeredAt: "2024-05-01T00:00:00Z" }]
`),
      [
        "hybridActivations[0].expirationDate: an activation lasts at most 30 days after it is created",
        "hybridActivations[1].nodes[0].registeredAt: a node registers while its activation is valid (2024-04-01T00:00:00.000Z to 2024-04-02T00:00:00.000Z)",
      ],
    );
  });
});
