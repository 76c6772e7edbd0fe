// The built-in world: the articles' setup with the names other parts of tobira rely on.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PolicyDocument, Statement } from "../../src/policy/types.js";
import { accountOfId, defaultWorld, defaultWorldPath } from "../../src/world/index.js";

const world = defaultWorld();

function statements(document: PolicyDocument): Statement[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}

function user(name: string) {
  const found = world.users.find((candidate) => candidate.name === name);
  assert.ok(found, `user ${name}`);
  return found;
}

function role(name: string) {
  const found = world.roles.find((candidate) => candidate.name === name);
  assert.ok(found, `role ${name}`);
  return found;
}

describe("default world", () => {
  it("is read from the package's worlds/default.yaml", () => {
    assert.match(defaultWorldPath(), /packages\/sandbox\/worlds\/default\.yaml$/);
  });

  it("has the two accounts and region ap-northeast-1", () => {
    assert.equal(world.region, "ap-northeast-1");
    assert.deepEqual(world.accounts, [
      { id: "111111111111", alias: "central" },
      { id: "222222222222", alias: "workload" },
    ]);
  });

  it("has alice and bob with virtual MFA devices and carol without, all in operators", () => {
    assert.deepEqual(
      world.users.map((u) => [u.name, u.account, u.arn, u.groups, u.mfaDevices.map((d) => d.serial)]),
      [
        [
          "alice",
          "111111111111",
          "arn:aws:iam::111111111111:user/alice",
          ["operators"],
          ["arn:aws:iam::111111111111:mfa/alice"],
        ],
        [
          "bob",
          "111111111111",
          "arn:aws:iam::111111111111:user/bob",
          ["operators"],
          ["arn:aws:iam::111111111111:mfa/bob"],
        ],
        ["carol", "111111111111", "arn:aws:iam::111111111111:user/carol", ["operators"], []],
      ],
    );
    assert.equal(user("alice").mfaDevices[0]?.secret, "J7PZDMRVPO67CA6XAC6LSOC5IA3VZC36");
    assert.equal(user("bob").mfaDevices[0]?.secret, "USXYZSRIVPX5DUVNQ2P5A2A3UYBJDUA3");
  });

  it("gives each user one active access key and a stable AIDA id that encodes the account", () => {
    assert.deepEqual(
      world.users.map((u) => [u.name, u.userId, u.accessKeys.map((k) => [k.id, k.status])]),
      [
        ["alice", "AIDARTXV5AHDTFU5PQYFX", [["AKIARTXV5AHDVR4Y4QA2", "Active"]]],
        ["bob", "AIDARTXV5AHD5BOQXF4WU", [["AKIARTXV5AHDQH22S7PC", "Active"]]],
        ["carol", "AIDARTXV5AHDQ4ZE35AIC", [["AKIARTXV5AHDYJUNXBXC", "Active"]]],
      ],
    );
    for (const u of world.users) {
      assert.equal(accountOfId(u.userId), "111111111111");
      assert.equal(accountOfId(u.accessKeys[0]!.id), "111111111111");
    }
  });

  it("gives operators the self-service MFA policy, the no-MFA deny and AssumeRole into 222222222222", () => {
    const group = world.groups.find((g) => g.name === "operators");
    assert.ok(group);
    assert.deepEqual(group.managedPolicies, [
      "arn:aws:iam::111111111111:policy/OperatorsSelfService",
      "arn:aws:iam::111111111111:policy/OperatorsAssumeWorkloadRoles",
      "arn:aws:iam::aws:policy/IAMSelfManageServiceSpecificCredentials",
    ]);
    const selfService = world.managedPolicies.find((p) => p.name === "OperatorsSelfService");
    assert.ok(selfService);
    const deny = statements(selfService.document).find((s) => s.Effect === "Deny");
    assert.deepEqual(deny?.Condition, { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } });
    assert.ok(Array.isArray(deny?.NotAction) && deny.NotAction.includes("iam:EnableMFADevice"));
    assert.ok(Array.isArray(deny?.NotAction) && !deny.NotAction.includes("sts:GetSessionToken"));
    const assume = world.managedPolicies.find((p) => p.name === "OperatorsAssumeWorkloadRoles");
    assert.deepEqual(statements(assume!.document)[0]?.Resource, "arn:aws:iam::222222222222:role/*");
  });

  it("has Role-for-switch trusting 111111111111 with MFA", () => {
    const switchRole = role("Role-for-switch");
    assert.equal(switchRole.account, "222222222222");
    assert.equal(switchRole.arn, "arn:aws:iam::222222222222:role/Role-for-switch");
    assert.equal(switchRole.roleId, "AROATHPL2AOHLBOWNX7TZ");
    const [trust] = statements(switchRole.trust);
    assert.deepEqual(trust?.Principal, { AWS: "arn:aws:iam::111111111111:root" });
    assert.deepEqual(trust?.Condition, { Bool: { "aws:MultiFactorAuthPresent": "true" } });
  });

  it("has the project roles with their tags, trusting alice and bob with MFA", () => {
    for (const [name, project, runAs] of [
      ["project-a-operator", "project-a", "os-user1"],
      ["project-b-operator", "project-b", "os-user2"],
    ] as const) {
      const r = role(name);
      assert.deepEqual(r.tags, { Project: project, SSMSessionRunAs: runAs });
      assert.equal(r.maxSessionDuration, 3600);
      const [trust] = statements(r.trust);
      assert.deepEqual(trust?.Principal, {
        AWS: ["arn:aws:iam::111111111111:user/alice", "arn:aws:iam::111111111111:user/bob"],
      });
      assert.deepEqual(trust?.Condition, { Bool: { "aws:MultiFactorAuthPresent": "true" } });
    }
  });

  it("has SSMInstanceRole trusting EC2, the session key and its preferences", () => {
    const instanceRole = role("SSMInstanceRole");
    assert.deepEqual(statements(instanceRole.trust)[0]?.Principal, { Service: "ec2.amazonaws.com" });
    assert.equal(world.kmsKeys.length, 1);
    const key = world.kmsKeys[0]!;
    assert.deepEqual(key.aliases, ["alias/session-manager"]);
    assert.equal(key.arn, "arn:aws:kms:ap-northeast-1:222222222222:key/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
    assert.deepEqual(world.sessionPreferences, [
      {
        account: "222222222222",
        region: "ap-northeast-1",
        kmsKeyId: "alias/session-manager",
        runAsEnabled: true,
        runAsDefaultUser: "ssm-user",
        idleSessionTimeout: "20",
        maxSessionDuration: "60",
        shellProfile: { linux: 'exec /bin/bash\ncd "$HOME"', windows: "" },
      },
    ]);
  });

  it("has web-a, db-a (project-a) and web-b (project-b) with their ports", () => {
    assert.deepEqual(
      world.instances.map((i) => [
        i.name,
        i.id,
        i.tags,
        i.state,
        i.platform,
        i.role,
        i.privateIp,
        i.privateDnsName,
        i.ports,
      ]),
      [
        [
          "web-a",
          "i-0a1a0000000000001",
          { Name: "web-a", Project: "project-a" },
          "running",
          "Linux",
          "SSMInstanceRole",
          "10.0.1.10",
          "ip-10-0-1-10.ap-northeast-1.compute.internal",
          [
            { port: 80, service: "http" },
            { port: 22, service: "sshd" },
          ],
        ],
        [
          "db-a",
          "i-0a1a0000000000002",
          { Name: "db-a", Project: "project-a" },
          "running",
          "Linux",
          "SSMInstanceRole",
          "10.0.1.11",
          "ip-10-0-1-11.ap-northeast-1.compute.internal",
          [{ port: 5432, service: "echo" }],
        ],
        [
          "web-b",
          "i-0b1b0000000000001",
          { Name: "web-b", Project: "project-b" },
          "running",
          "Linux",
          "SSMInstanceRole",
          "10.0.1.20",
          "ip-10-0-1-20.ap-northeast-1.compute.internal",
          [{ port: 80, service: "http" }],
        ],
      ],
    );
  });

  it("lists the six config profiles", () => {
    assert.deepEqual(
      world.profiles?.map((p) =>
        p.kind === "user" ? [p.name, p.userArn] : [p.name, p.roleArn, p.sourceProfile, p.mfaSerial],
      ),
      [
        ["alice", "arn:aws:iam::111111111111:user/alice"],
        ["bob", "arn:aws:iam::111111111111:user/bob"],
        ["carol", "arn:aws:iam::111111111111:user/carol"],
        [
          "switch",
          "arn:aws:iam::222222222222:role/Role-for-switch",
          "alice",
          "arn:aws:iam::111111111111:mfa/alice",
        ],
        [
          "project-a",
          "arn:aws:iam::222222222222:role/project-a-operator",
          "alice",
          "arn:aws:iam::111111111111:mfa/alice",
        ],
        [
          "project-b",
          "arn:aws:iam::222222222222:role/project-b-operator",
          "alice",
          "arn:aws:iam::111111111111:mfa/alice",
        ],
      ],
    );
  });

  it("asks its agents for no departure from the real SSM agent (no EXIT_CODE for shells)", () => {
    assert.deepEqual(world.agents, { reportShellExitCode: false });
  });

  it("returns a fresh copy on every call", () => {
    const mine = defaultWorld();
    mine.users[0]!.name = "mallory";
    assert.equal(defaultWorld().users[0]?.name, "alice");
  });
});
