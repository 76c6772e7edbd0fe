// Bad world files: each problem is reported as "path: problem (line, column)" with the file named.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { formatIssue, loadWorldFile, parseWorld, WorldError } from "../../src/world/index.js";

function problems(yaml: string, source = "broken.yaml"): string[] {
  try {
    parseWorld(yaml, source);
  } catch (error) {
    assert.ok(error instanceof WorldError, `expected a WorldError, got ${error}`);
    assert.ok(error.message.includes(source), "the message names the file");
    assert.ok(error.hint.length > 0);
    for (const issue of error.issues)
      assert.ok(error.message.includes(formatIssue(issue)) || error.issues.length > 10);
    return error.issues.map(formatIssue);
  }
  assert.fail("the world was accepted");
}

const ROLE_TRUST =
  "{ Statement: { Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: sts:AssumeRole } }";
const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("world file errors", () => {
  it("names the statement path of a bad Effect", () => {
    const yaml = `accounts: [{ id: "111111111111" }]
roles:
  - { name: a, account: "111111111111", trust: ${ROLE_TRUST} }
  - { name: b, account: "111111111111", trust: ${ROLE_TRUST} }
  - name: c
    account: "111111111111"
    trust:
      Statement:
        - Effect: allow
          Principal: { Service: ec2.amazonaws.com }
          Action: sts:AssumeRole
`;
    assert.deepEqual(problems(yaml), [
      'roles[2].trust.Statement[0].Effect: expected "Allow" or "Deny", got "allow" (line 9, column 11)',
    ]);
  });

  it("takes agents.reportShellExitCode as a boolean and names it when it is not one", () => {
    const world = parseWorld(
      `accounts: [{ id: "111111111111" }]\nagents: { reportShellExitCode: true }\n`,
      "w.yaml",
    );
    assert.deepEqual(world.agents, { reportShellExitCode: true });
    assert.deepEqual(
      problems(`accounts: [{ id: "111111111111" }]\nagents: { reportShellExitCode: "yes" }\n`),
      ["agents.reportShellExitCode: expected true or false, got a string (line 2, column 11)"],
    );
  });

  it("reports a role without an account", () => {
    const yaml = `accounts: [{ id: "111111111111" }]
roles:
  - name: a
    trust: ${ROLE_TRUST}
`;
    assert.deepEqual(problems(yaml), ["roles[0].account: required (line 3, column 5)"]);
  });

  it("reports an account nobody declared", () => {
    const yaml = `accounts: [{ id: "111111111111" }]
roles: [{ name: a, account: "999999999999", trust: ${ROLE_TRUST} }]
`;
    assert.deepEqual(problems(yaml), [
      'roles[0].account: unknown account "999999999999" (the world declares 111111111111) (line 2, column 20)',
    ]);
  });

  it("reports an unknown group and suggests the near one", () => {
    const yaml = `accounts: [{ id: "111111111111" }]
groups: [{ name: operators, account: "111111111111" }]
users:
  - name: alice
    account: "111111111111"
    groups: [operators, operater]
`;
    assert.deepEqual(problems(yaml), [
      'users[0].groups[1]: unknown group "operater" in account 111111111111 (did you mean "operators"?) (line 6, column 25)',
    ]);
  });

  it("reports a duplicate user, IAM-style regardless of case", () => {
    const yaml = `accounts: [{ id: "111111111111" }]
users:
  - { name: alice, account: "111111111111" }
  - { name: Alice, account: "111111111111" }
`;
    assert.deepEqual(problems(yaml), [
      'users[1].name: duplicate user "Alice" in account 111111111111 (also users[0]) (line 4, column 7)',
    ]);
  });

  it("reports a seed that is not base32, without repeating it", () => {
    const secret = "JBSWY3DPEHPK3PX1JBSWY3DPEHPK3PXP";
    const yaml = `accounts: [{ id: "111111111111" }]
users:
  - name: alice
    account: "111111111111"
    mfaDevices: [{ name: alice, secret: ${secret} }]
`;
    const found = problems(yaml);
    assert.deepEqual(found, [
      "users[0].mfaDevices[0].secret: not a base32 TOTP secret: base32 allows only the letters A-Z and the digits 2-7 (line 5, column 33)",
    ]);
    assert.ok(!found.join("\n").includes(secret));
  });

  it("reports a seed shorter than RFC 4226's 128 bits", () => {
    const yaml = `accounts: [{ id: "111111111111" }]
users: [{ name: alice, account: "111111111111", mfaDevices: [{ name: alice, secret: MZXW6YTBOI } ] }]
`;
    assert.deepEqual(problems(yaml), [
      "users[0].mfaDevices[0].secret: a TOTP secret must be at least 16 bytes (26 base32 characters); this one has 6 (line 2, column 77)",
    ]);
  });

  it("reports an unknown key and suggests the key meant", () => {
    const yaml = `accounts: [{ id: "111111111111" }]
users:
  - name: alice
    account: "111111111111"
    mfaDevice: [{ name: alice, secret: ${SEED} }]
`;
    assert.deepEqual(problems(yaml), [
      'users[0].mfaDevice: unknown key (did you mean "mfaDevices"?) (line 5, column 5)',
    ]);
  });

  it("reports unknown keys inside policy documents too", () => {
    const yaml = `accounts: [{ id: "111111111111" }]
roles:
  - name: a
    account: "111111111111"
    trust: { Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Actions: sts:AssumeRole }] }
`;
    const found = problems(yaml);
    assert.ok(
      found.some((line) => line.startsWith("roles[0].trust.Statement[0].Actions: unknown key")),
      found.join("\n"),
    );
  });

  it("reports a bad instance id", () => {
    const yaml = `accounts: [{ id: "111111111111" }]
instances:
  - { id: i-12345, name: web, account: "111111111111" }
`;
    assert.deepEqual(problems(yaml), [
      'instances[0].id: expected "i-" and 8 or 17 hex digits (EC2), or "mi-" and 17 hex digits (managed node) (line 3, column 7)',
    ]);
  });

  it("reports a YAML syntax error with its line and column", () => {
    const yaml = `accounts:
  - id: "111111111111"
    alias: central
users: [ { name: alice ]
`;
    let error: unknown;
    try {
      parseWorld(yaml, "syntax.yaml");
    } catch (caught) {
      error = caught;
    }
    assert.ok(error instanceof WorldError);
    assert.match(error.message, /^World file syntax\.yaml is not valid YAML:\n {2}line 4, column \d+: /);
    assert.ok(
      error.issues.every((issue) => issue.line === 4),
      JSON.stringify(error.issues),
    );
  });

  it("reports a duplicate mapping key as YAML error", () => {
    const yaml = `region: ap-northeast-1
region: us-east-1
accounts: [{ id: "111111111111" }]
`;
    const found = problems(yaml);
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^line 2, column 1: Map keys must be unique/);
  });

  it("explains an account id YAML read as a number", () => {
    assert.deepEqual(problems("accounts: [{ id: 111111111111 }]\n"), [
      'accounts[0].id: expected a string, got a number (quote it in YAML: "111111111111") (line 1, column 14)',
    ]);
  });

  it("checks access key ids, secrets (without echoing them) and duplicates", () => {
    const badSecret = "tooShort/+abc";
    const yaml = `accounts: [{ id: "111111111111" }]
users:
  - name: alice
    account: "111111111111"
    accessKeys:
      - { id: AKIA0000000000000000, secret: "${"a".repeat(40)}" }
      - { id: AKIAAAAAAAAAAAAAAAA2, secret: "${badSecret}" }
`;
    const found = problems(yaml);
    assert.deepEqual(found, [
      "users[0].accessKeys[0].id: expected an access key id: AKIA followed by 16 characters of A-Z and 2-7 (line 6, column 11)",
      "users[0].accessKeys[1].secret: expected a secret access key: 40 characters of A-Z, a-z, 0-9, / and + (line 7, column 37)",
    ]);
    assert.ok(!found.join("\n").includes(badSecret));

    const duplicate = `accounts: [{ id: "111111111111" }]
users:
  - { name: alice, account: "111111111111", accessKeys: [{ id: AKIAAAAAAAAAAAAAAAA2 }] }
  - { name: bob, account: "111111111111", accessKeys: [{ id: AKIAAAAAAAAAAAAAAAA2 }] }
`;
    assert.deepEqual(problems(duplicate), [
      "users[1].accessKeys[0].id: duplicate access key id AKIAAAAAAAAAAAAAAAA2 (also users[0] alice) (line 4, column 58)",
    ]);
  });

  it("refuses a third access key, as IAM does", () => {
    const yaml = `accounts: [{ id: "111111111111" }]
users: [{ name: alice, account: "111111111111", accessKeys: [{}, {}, {}] }]
`;
    assert.deepEqual(problems(yaml), [
      "users[0].accessKeys: an IAM user has at most 2 access keys (line 2, column 49)",
    ]);
  });

  it("refuses an MFA serial in another account than its user", () => {
    const yaml = `accounts: [{ id: "111111111111" }, { id: "222222222222" }]
users:
  - name: alice
    account: "111111111111"
    mfaDevices: [{ serial: "arn:aws:iam::222222222222:mfa/alice", secret: ${SEED} }]
`;
    assert.deepEqual(problems(yaml), [
      "users[0].mfaDevices[0].serial: the device's account 222222222222 differs from the user's account 111111111111; a user's MFA device lives in the user's account (line 5, column 20)",
    ]);
  });

  it("refuses a device with both a serial and a name", () => {
    const yaml = `accounts: [{ id: "111111111111" }]
users:
  - name: alice
    account: "111111111111"
    mfaDevices: [{ name: alice, serial: "arn:aws:iam::111111111111:mfa/alice", secret: ${SEED} }]
`;
    assert.deepEqual(problems(yaml), [
      "users[0].mfaDevices[0]: give the device either a serial (its ARN) or a name, not both and not neither (line 5, column 18)",
    ]);
  });

  it("reports managed policies, trust principals and KMS aliases that do not exist", () => {
    const yaml = `accounts: [{ id: "111111111111" }]
roles:
  - name: a
    account: "111111111111"
    managedPolicies: [ReadOnlyAccess]
    trust:
      Statement:
        Effect: Allow
        Principal: { AWS: ["arn:aws:iam::111111111111:user/zed", "arn:aws:iam::444444444444:user/external"] }
        Action: sts:AssumeRole
sessionPreferences:
  - { account: "111111111111", kmsKeyId: alias/session-manger }
`;
    assert.deepEqual(problems(yaml), [
      'roles[0].managedPolicies[0]: unknown managed policy "ReadOnlyAccess" for account 111111111111 (none are declared) (line 5, column 23)',
      "roles[0].trust.Statement[0].Principal.AWS[0]: invalid principal: no user arn:aws:iam::111111111111:user/zed in this world (line 9, column 28)",
      'sessionPreferences[0].kmsKeyId: unknown KMS alias "alias/session-manger" in 111111111111/us-east-1 (none are declared) (line 12, column 32)',
    ]);
  });

  it("keeps identity policies free of principals and resource policies with them", () => {
    const yaml = `accounts: [{ id: "111111111111" }]
roles:
  - name: a
    account: "111111111111"
    trust: { Statement: { Effect: Allow, Action: sts:AssumeRole } }
    inlinePolicies:
      p: { Statement: { Effect: Allow, Principal: "*", Action: "s3:*", Resource: "*" } }
`;
    assert.deepEqual(problems(yaml), [
      "roles[0].inlinePolicies.p.Statement[0].Principal: an identity-based policy cannot name a principal (line 7, column 40)",
      "roles[0].trust.Statement[0]: a trust or key policy statement must name a Principal (line 5, column 14)",
    ]);
  });

  it("checks maxSessionDuration, ports and the Name tag", () => {
    const yaml = `accounts: [{ id: "111111111111" }]
roles: [{ name: a, account: "111111111111", maxSessionDuration: 1800, trust: ${ROLE_TRUST} }]
instances:
  - id: i-0123456789abcdef0
    name: web
    account: "111111111111"
    tags: { Name: www }
    ports: [{ port: 5432, service: tcp }, { port: 70000, service: ftp }]
`;
    assert.deepEqual(problems(yaml), [
      "roles[0].maxSessionDuration: maxSessionDuration is at least 3600 seconds (1 hour) (line 2, column 45)",
      'instances[0].ports[0].target: a "tcp" port needs a target host:port (line 8, column 13)',
      "instances[0].ports[1].port: a port is 1 to 65535 (line 8, column 45)",
      'instances[0].ports[1].service: expected one of "http", "echo", "sshd", "tcp", got "ftp" (line 8, column 58)',
    ]);
    const nameClash = `accounts: [{ id: "111111111111" }]
instances: [{ id: i-0123456789abcdef0, name: web, account: "111111111111", tags: { Name: www } }]
`;
    assert.deepEqual(problems(nameClash), [
      'instances[0].tags.Name: the Name tag "www" differs from name "web"; give one of them (line 2, column 84)',
    ]);
  });

  it("checks profiles: the role, the source profile, loops and the MFA device", () => {
    const yaml = `accounts: [{ id: "111111111111" }]
users: [{ name: alice, account: "111111111111" }]
roles: [{ name: ops, account: "111111111111", trust: ${ROLE_TRUST} }]
profiles:
  - { name: one, role: ops, sourceProfile: two }
  - { name: two, role: ops, sourceProfile: one }
  - { name: three, role: opz, sourceProfile: alice }
  - { name: four, role: ops, sourceProfile: nobody, mfaSerial: "arn:aws:iam::111111111111:mfa/alice" }
`;
    assert.deepEqual(problems(yaml), [
      'profiles[2].role: unknown role "opz" (did you mean "ops"?) (line 7, column 20)',
      'profiles[3].mfaSerial: unknown MFA device "arn:aws:iam::111111111111:mfa/alice" (none are declared) (line 8, column 53)',
      "profiles[0].sourceProfile: source profiles form a loop: one → two → one (line 5, column 29)",
      "profiles[1].sourceProfile: source profiles form a loop: two → one → two (line 6, column 29)",
      'profiles[3].sourceProfile: unknown profile "nobody" (known: "one", "two", "four", "alice") (line 8, column 30)',
    ]);
  });

  it("lists at most ten problems in the message and counts the rest", () => {
    const users = Array.from({ length: 12 }, (_, i) => `  - { name: u${i}, account: "999999999999" }`).join(
      "\n",
    );
    let error: unknown;
    try {
      parseWorld(`accounts: [{ id: "111111111111" }]\nusers:\n${users}\n`, "many.yaml");
    } catch (caught) {
      error = caught;
    }
    assert.ok(error instanceof WorldError);
    assert.equal(error.issues.length, 12);
    const lines = error.message.split("\n");
    assert.equal(lines[0], "World file many.yaml is not valid (12 problems):");
    assert.equal(lines.length, 12);
    assert.equal(lines[11], "  … and 2 more");
  });
});

describe("loadWorldFile", () => {
  const folder = mkdtempSync(join(tmpdir(), "tobira-world-"));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("names a missing file", () => {
    const path = join(folder, "missing.yaml");
    assert.throws(() => loadWorldFile(path), {
      name: "WorldError",
      message: `World file ${path} does not exist.`,
    });
  });

  it("names the file in a validation error", () => {
    const path = join(folder, "bad.yaml");
    writeFileSync(path, 'accounts: [{ id: "111111111111", alais: x }]\n');
    assert.throws(() => loadWorldFile(path), {
      name: "WorldError",
      message: `World file ${path} is not valid (1 problem):\n  accounts[0].alais: unknown key (did you mean "alias"?) (line 1, column 34)`,
    });
  });

  it("fills defaults for a minimal world", () => {
    const path = join(folder, "small.yaml");
    writeFileSync(
      path,
      `accounts: [{ id: "333333333333" }]
users: [{ name: dave, account: "333333333333", accessKeys: [{}] }]
kmsKeys: [{ account: "333333333333" }]
instances: [{ id: mi-0123456789abcdef0, name: edge, account: "333333333333" }, { id: i-01234567, name: x, account: "333333333333" }]
sessionPreferences: [{ account: "333333333333", idleSessionTimeout: 5 }]
`,
    );
    const world = loadWorldFile(path);
    assert.equal(world.region, "us-east-1");
    const dave = world.users[0]!;
    assert.match(dave.userId, /^AIDA[A-Z2-7]{17}$/);
    assert.match(dave.accessKeys[0]!.id, /^AKIA[A-Z2-7]{16}$/);
    assert.match(dave.accessKeys[0]!.secret, /^[A-Za-z0-9/+]{40}$/);
    assert.equal(dave.accessKeys[0]!.status, "Active");
    assert.deepEqual(world.profiles, [
      { kind: "user", name: "dave", region: "us-east-1", userArn: "arn:aws:iam::333333333333:user/dave" },
    ]);
    const key = world.kmsKeys[0]!;
    assert.match(key.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(key.policy, {
      Version: "2012-10-17",
      Id: "key-default-1",
      Statement: [
        {
          Sid: "Enable IAM User Permissions",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::333333333333:root" },
          Action: "kms:*",
          Resource: "*",
        },
      ],
    });
    assert.deepEqual(
      world.instances.map((i) => [i.privateIp, i.privateDnsName, i.state, i.platform, i.tags]),
      [
        ["10.0.1.10", "ip-10-0-1-10.ec2.internal", "running", "Linux", { Name: "edge" }],
        ["10.0.1.11", "ip-10-0-1-11.ec2.internal", "running", "Linux", { Name: "x" }],
      ],
    );
    assert.deepEqual(world.sessionPreferences[0], {
      account: "333333333333",
      region: "us-east-1",
      kmsKeyId: "",
      runAsEnabled: false,
      runAsDefaultUser: "",
      idleSessionTimeout: "5",
      maxSessionDuration: "",
      shellProfile: { linux: "", windows: "" },
    });
    // Derived values are stable: the same file gives the same ids.
    assert.deepEqual(loadWorldFile(path), world);
  });
});
