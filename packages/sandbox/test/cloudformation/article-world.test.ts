// What the example app's synthesized template becomes in the sandbox: its users, roles, key, preferences,
// instances and profiles, and the notes about what was left out.

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { formatFinding } from "../../src/world/cloudformation/index.js";
import { loadArticleWorld, PROJECT_1, PROJECT_2 } from "./article-world.js";

describe("examples/article-stack loaded into a world", () => {
  const loaded = loadArticleWorld();
  after(() => loaded.dispose());
  const { world } = loaded;

  it("has the operators in the MFA-enforcing group, each with a key and a virtual MFA device", () => {
    assert.deepEqual(
      world.users.map((user) => [user.name, user.groups, user.tags, user.mfaDevices.map((d) => d.serial)]),
      [
        [
          "operator1",
          ["operators"],
          { Email: "operator1@example.com" },
          ["arn:aws:iam::111111111111:mfa/operator1"],
        ],
        ["operator2", ["operators"], {}, ["arn:aws:iam::111111111111:mfa/operator2"]],
      ],
    );
    for (const user of world.users) assert.equal(user.accessKeys.length, 1);
    const group = world.groups.find((g) => g.name === "operators")!;
    assert.equal(group.managedPolicies.length, 2);
  });

  it("has the session roles with their tags, the named one under its name, and the longer session limit", () => {
    assert.deepEqual(loaded.project1Role.tags, { Project: PROJECT_1, SSMSessionRunAs: "os-user1" });
    assert.deepEqual(loaded.project2Role.tags, { Project: PROJECT_2, SSMSessionRunAs: "os-user2" });
    assert.equal(loaded.project2SharedRole.name, "project2-ope-role");
    assert.equal(loaded.project2SharedRole.maxSessionDuration, 7200);
    assert.match(
      loaded.project1Role.name,
      /^OperationUsersStack-Project1OsUser1Role[A-Za-z0-9]*-[A-Za-z0-9]{12}$/,
    );
  });

  it("has the session key with its alias, and preferences that use it with Run As", () => {
    assert.equal(world.kmsKeys.length, 1);
    const key = world.kmsKeys[0]!;
    assert.deepEqual(key.aliases, ["alias/session-manager"]);
    assert.deepEqual(world.sessionPreferences, [
      {
        account: "111111111111",
        region: "ap-northeast-1",
        kmsKeyId: key.arn,
        runAsEnabled: true,
        runAsDefaultUser: "os-default",
        idleSessionTimeout: "20",
        maxSessionDuration: "120",
        shellProfile: { linux: "/bin/bash\ncd /home/$(whoami)", windows: "" },
      },
    ]);
  });

  it("has the three instances with their tags, addresses and the instance role", () => {
    const { project1, project2, untagged } = loaded.instances;
    assert.deepEqual(project1.tags, { Name: "project1-web", Project: PROJECT_1 });
    assert.deepEqual(project2.tags, { Name: "project2-web", Project: PROJECT_2 });
    assert.deepEqual(untagged.tags, { Name: "shared-tools" });
    assert.deepEqual(
      [project1.privateIp, project2.privateIp, untagged.privateIp],
      ["10.0.1.11", "10.0.1.12", "10.0.1.13"],
    );
    for (const instance of [project1, project2, untagged])
      assert.equal(instance.role, loaded.instanceRole.name);
  });

  it("writes a role profile for each user a role trusts, with the user's device as mfa_serial", () => {
    const roleProfiles = (world.profiles ?? []).filter((p) => p.kind === "role");
    assert.deepEqual(
      roleProfiles.map((p) => [p.name, p.sourceProfile, p.mfaSerial]),
      [
        [loaded.project1Role.name, "operator1", "arn:aws:iam::111111111111:mfa/operator1"],
        [loaded.project2Role.name, "operator2", "arn:aws:iam::111111111111:mfa/operator2"],
        ["project2-ope-role", "operator1", "arn:aws:iam::111111111111:mfa/operator1"],
      ],
    );
  });

  it("notes what it left out: the handler function and the unknown AWS-managed Lambda policy", () => {
    const notes = loaded.notes.map(formatFinding).map((line) => line.replace(loaded.templatePath, "T"));
    assert.ok(
      notes.some((n) =>
        /^T Resources\.PreferencesHandler\w+: skipped: AWS::Lambda::Function PreferencesHandler\w+ \(not modelled\)$/.test(
          n,
        ),
      ),
    );
    assert.ok(
      notes.some((n) =>
        n.includes("AWSLambdaBasicExecutionRole is an AWS-managed policy the sandbox does not know"),
      ),
    );
    assert.ok(notes.some((n) => n.includes("AmazonSSMManagedInstanceCore: the sandbox's abridged copy")));
    assert.equal(notes.length, 3, notes.join("\n"));
  });
});
