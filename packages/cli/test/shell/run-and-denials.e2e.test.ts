// `tobira run` (stdout and stderr apart, exit code) and the articles' KMS failures, each in AWS's or the
// agent's words with a hint, through the sandbox as a user runs them.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { World } from "@tobira/sandbox";
import { BUILT, type SandboxUser, startSandboxUser, worldVariant } from "../fixtures/sandbox-user.js";

const skip = !BUILT && "run `npm run build` first";
/** A guard against a hung session, not a timed assertion. */
const timeout = 120_000;
const KEY_ARN = "arn:aws:kms:ap-northeast-1:222222222222:key/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";

type Statement = { Sid?: string; Resource?: unknown; [key: string]: unknown };

function statements(document: unknown): Statement[] {
  return (document as { Statement: Statement[] }).Statement;
}

function dropStatement(document: unknown, sid: string): void {
  const list = statements(document);
  const index = list.findIndex((statement) => statement.Sid === sid);
  assert.ok(index >= 0, `statement ${sid} in the default world`);
  list.splice(index, 1);
}

function policy(world: World, name: string): unknown {
  const found = world.managedPolicies.find((p) => p.name === name);
  assert.ok(found, `managed policy ${name}`);
  return found.document;
}

function startedSessions(fx: SandboxUser): number {
  return fx.audit().filter((line) => line.action === "StartSession").length;
}

describe("tobira run", { skip, timeout }, () => {
  let fx: SandboxUser;
  before(async () => {
    fx = await startSandboxUser({ label: "run", keyBy: "tobira-add" });
  });
  after(async () => {
    await fx?.close();
  });

  test("stdout and stderr stay apart and the exit code comes back", async () => {
    const result = await fx.tobira([
      "run",
      "web-a",
      "--profile",
      "project-a",
      "--",
      "sh",
      "-c",
      "echo out; echo err >&2; exit 4",
    ]);
    assert.equal(result.code, 4, result.stderr);
    assert.equal(result.stdout, "out\n");
    // The default world encrypts sessions: the gateway's customer message (the sandbox's Run As note when the OS
    // user is missing here, then the KMS banner) comes first on stderr, never on stdout; then the remote stderr.
    assert.match(
      result.stderr,
      /^(?:\[tobira sandbox\] Run As os-user1: [^\n]*\n)?This session is encrypted using AWS KMS\.\nerr\n$/,
    );
    assert.equal(fx.mfaPrompts(), 1);
  });

  test("by private IP, as the same user, exit 0", async () => {
    const result = await fx.tobira(["run", "10.0.1.10", "--profile", "project-a", "--", "echo $USER"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "os-user1\n");
    assert.equal(fx.mfaPrompts(), 1);
  });

  test("piped stdin is refused before any session, never dropped", async () => {
    const sessionsBefore = startedSessions(fx);
    const result = await fx.tobira(["run", "web-a", "--profile", "project-a", "--", "cat"], {
      input: "hi\n",
    });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, "");
    assert.match(
      result.stderr,
      /^tobira: stdin holds input, but a command run through AWS-StartNonInteractiveCommand gets none/,
    );
    assert.match(result.stderr, /hint: add --tty .*or -n/);
    assert.equal(startedSessions(fx), sessionsBefore, "no StartSession for a refused run");
  });

  test("a pipe that ends empty is no input: the command runs, exit code kept", async () => {
    const result = await fx.tobira(["run", "web-a", "--profile", "project-a", "--", "echo ran; exit 4"], {
      input: "",
    });
    assert.equal(result.code, 4, result.stderr);
    assert.equal(result.stdout, "ran\n");
  });

  test("-n runs without the piped stdin, exit code kept", async () => {
    const result = await fx.tobira(["run", "-n", "web-a", "--profile", "project-a", "--", "cat; exit 5"], {
      input: "hi\n",
    });
    assert.equal(result.code, 5, result.stderr);
    assert.equal(result.stdout, "");
  });

  test("--tty types piped stdin into a terminal session and ends it with Ctrl-D", async () => {
    const result = await fx.tobira(["run", "--tty", "web-a", "--profile", "project-a", "--", "tr a-z A-Z"], {
      input: "hi there\n",
    });
    assert.equal(result.code, 0, result.stderr);
    // The terminal echoes what is typed (as ssh -tt does), then the command's own output.
    assert.match(result.stdout, /HI THERE/);
    const started = fx.audit().filter((line) => line.action === "StartSession" && line.decision === "Allow");
    assert.match(JSON.stringify(started.at(-1)), /AWS-StartInteractiveCommand/);
  });

  test("an ambiguous TARGET on a terminal asks which one, and runs on the one chosen", async () => {
    const run = fx.tobiraOnPty([
      "run",
      "tag:Project=project-a",
      "--profile",
      "project-a",
      "--",
      "echo picked-$USER",
    ]);
    try {
      await run.waitFor(/Several targets match:/);
      await run.waitFor(/1\) i-0a1a0000000000002 {2}db-a {2}\(running, Online\)/);
      await run.waitFor(/2\) i-0a1a0000000000001 {2}web-a {2}\(running, Online\)/);
      await run.waitFor(/Which one\? \[1-2\]: /);
      run.term.write("2\r");
      await run.waitFor(/picked-os-user1/);
      assert.equal(await run.exited, 0);
    } finally {
      run.term.kill();
    }
    const started = fx.audit().filter((line) => line.action === "StartSession" && line.decision === "Allow");
    assert.match(String(started.at(-1)?.reason), /i-0a1a0000000000001/);
  });
});

describe("KMS denied for the user's role (world variant)", { skip, timeout }, () => {
  let fx: SandboxUser;
  before(async () => {
    const world = worldVariant((w) => {
      // Neither the role's policy nor the key policy lets project-a-operator generate data keys.
      dropStatement(policy(w, "SessionManagerByProject"), "EncryptSessionData");
      dropStatement(w.kmsKeys[0]!.policy, "OperatorsEncryptSessions");
    });
    fx = await startSandboxUser({ label: "kms-generate", keyBy: "tobira-add", world });
  });
  after(async () => {
    await fx?.close();
  });

  test("the article's error text and the kms:GenerateDataKey hint", async () => {
    const result = await fx.tobira(["shell", "web-a", "--profile", "project-a"]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `Encountered error while initiating handshake\\. KMSEncryption failed on client with status 2 error: Failed to process action KMSEncryption: Error calling KMS GenerateDataKey API: AccessDeniedException: User: arn:aws:sts::222222222222:assumed-role/project-a-operator/\\S+ is not authorized to perform: kms:GenerateDataKey on resource: ${KEY_ARN}`,
      ),
    );
    assert.match(result.stderr, /hint: the role of profile 'project-a' needs kms:GenerateDataKey on /);
    assert.equal(fx.mfaPrompts(), 1);
  });
});

describe("KMS denied for the instance role (world variant)", { skip, timeout }, () => {
  let fx: SandboxUser;
  before(async () => {
    const world = worldVariant((w) => {
      const role = w.roles.find((r) => r.name === "SSMInstanceRole");
      assert.ok(role);
      role.inlinePolicies = {};
      dropStatement(w.kmsKeys[0]!.policy, "InstancesDecryptSessions");
    });
    fx = await startSandboxUser({ label: "kms-decrypt", keyBy: "tobira-add", world });
  });
  after(async () => {
    await fx?.close();
  });

  test("the article's error text and the instance role's kms:Decrypt hint", async () => {
    const result = await fx.tobira(["shell", "web-a", "--profile", "project-a"]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /Encountered error while initiating handshake\. Fetching data key failed: Unable to retrieve data key, Error when decrypting data key AccessDeniedException: The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access\./,
    );
    assert.match(result.stderr, /hint: the target's instance role needs kms:Decrypt on /);
  });
});
