// `tobira shell` through the sandbox under a real pseudo-terminal, as a user types it: one MFA code, the KMS
// banner, Run As, a window resize seen by `stty size`, and the remote shell's exit status where the agent
// reports it (the real agent does not for shells; a world can ask the sandbox's agents to).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  BUILT,
  type PtyRun,
  type SandboxUser,
  startSandboxUser,
  worldVariant,
} from "../fixtures/sandbox-user.js";

const skip = !BUILT && "run `npm run build` first";
/** A guard against a hung session, not a timed assertion. */
const timeout = 120_000;

/** Types `stty size` until the remote pty reports the wanted size: the resize and the keys race in the OS. */
async function remoteSize(run: PtyRun, wanted: string): Promise<string> {
  let seen = "";
  for (let attempt = 0; attempt < 5 && seen !== wanted; attempt++) {
    const from = run.output().length;
    run.term.write(`stty size; echo size-done-${attempt}\r`);
    const done = await run.waitFor(new RegExp(`(?:^|[\\r\\n])(\\d+ \\d+)\\r*\\nsize-done-${attempt}`), from);
    seen = done[1] ?? "";
  }
  return seen;
}

/** Returns the session id. `exitStatus`: what tobira exits with after the remote `exit 3`. */
async function interactiveSession(fx: SandboxUser, expectKms: boolean, exitStatus: number): Promise<string> {
  const run = fx.tobiraOnPty(["shell", "web-a", "--profile", "project-a"], { cols: 80, rows: 24 });
  let sessionId = "";
  try {
    sessionId = (await run.waitFor(/Starting session with SessionId: (\S+)/))[1]!;
    if (expectKms) await run.waitFor(/This session is encrypted using AWS KMS\./);
    let from = run.output().length;
    run.term.write('echo "user=$USER"\r');
    await run.waitFor(/user=os-user1/, from);
    assert.equal(await remoteSize(run, "24 80"), "24 80");
    run.term.resize(100, 40);
    assert.equal(await remoteSize(run, "40 100"), "40 100");
    // Ctrl-C and Ctrl-Z are keys for the remote pty, not signals for tobira. Each command says when it runs
    // in the foreground (the $((…)) keeps the echoed command line from matching).
    from = run.output().length;
    run.term.write("sh -c 'echo ready-$((6*7)); exec sleep 30'\r");
    await run.waitFor(/ready-42/, from);
    run.term.write("\x03");
    run.term.write('echo "rc=$?"\r');
    await run.waitFor(/rc=130/, from);
    from = run.output().length;
    run.term.write("sh -c 'echo ready-$((6*8)); exec sleep 1'\r");
    await run.waitFor(/ready-48/, from);
    run.term.write("\x1a");
    await run.waitFor(/Stopped/, from);
    run.term.write("fg; echo resumed-$((7*7))\r");
    await run.waitFor(/resumed-49/, from);
    from = run.output().length;
    run.term.write("exit 3\r");
    assert.equal(await run.exited, exitStatus);
    assert.match(run.output().slice(from), /Exiting session with sessionId: /);
    assert.doesNotMatch(run.output(), /EXIT_CODE/);
  } finally {
    run.term.kill();
  }
  if (!expectKms) assert.doesNotMatch(run.output(), /encrypted using AWS KMS/);
  assert.equal(fx.mfaPrompts(), 1, "exactly one MFA code for the whole session");
  return sessionId;
}

describe("tobira shell with KMS encryption (default world)", { skip, timeout }, () => {
  let fx: SandboxUser;
  let sessionId = "";
  before(async () => {
    fx = await startSandboxUser({ label: "shell-kms", keyBy: "tobira-add" });
  });
  after(async () => {
    await fx?.close();
  });

  test("one MFA code, the KMS banner, Run As os-user1, resize, Ctrl-C/Ctrl-Z remote, exit 3 gives 0 (no EXIT_CODE, as AWS)", async () => {
    sessionId = await interactiveSession(fx, true, 0);
  });

  test("the upgrade was SigV4-verified and KMS was called by the right principals with the session's context", () => {
    const audit = fx.audit();
    const open = audit.find((line) => line.action === "OpenDataChannel");
    assert.ok(open, "an OpenDataChannel line");
    assert.match(String(open.reason), /SigV4 verified/);
    assert.match(String(open.principalArn), /:assumed-role\/project-a-operator\//);
    const generate = audit.find((line) => line.service === "kms" && line.action === "GenerateDataKey");
    assert.equal(generate?.decision, "Allow");
    assert.match(String(generate?.principalArn), /:assumed-role\/project-a-operator\//);
    const decrypt = audit.find((line) => line.service === "kms" && line.action === "Decrypt");
    assert.equal(decrypt?.decision, "Allow");
    assert.match(String(decrypt?.principalArn), /:assumed-role\/SSMInstanceRole\//);
    const context = JSON.stringify({
      "aws:ssm:SessionId": sessionId,
      "aws:ssm:TargetId": "i-0a1a0000000000001",
    });
    assert.ok(String(generate?.reason).includes(context), String(generate?.reason));
    assert.ok(String(decrypt?.reason).includes(context), String(decrypt?.reason));
  });

  test("web-b from project-a is denied in AWS's words, with a hint", async () => {
    const result = await fx.tobira(["shell", "web-b", "--profile", "project-a"]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /An error occurred \(AccessDeniedException\) when calling the StartSession operation: User: arn:aws:sts::222222222222:assumed-role\/project-a-operator\/\S+ is not authorized to perform: ssm:StartSession on resource: arn:aws:ec2:ap-northeast-1:222222222222:instance\/i-0b1b0000000000001/,
    );
    assert.match(result.stderr, /hint: profile 'project-a' may not open sessions on i-0b1b0000000000001/);
  });
});

describe("tobira shell without KMS, agents reporting shell exit codes (world variant)", {
  skip,
  timeout,
}, () => {
  let fx: SandboxUser;
  before(async () => {
    const world = worldVariant((w) => {
      for (const preferences of w.sessionPreferences) preferences.kmsKeyId = "";
      w.agents = { reportShellExitCode: true };
    });
    fx = await startSandboxUser({ label: "shell-plain", keyBy: "tobira-add", world });
  });
  after(async () => {
    await fx?.close();
  });

  test("no banner, Run As os-user1, resize, and exit 3 gives status 3", async () => {
    await interactiveSession(fx, false, 3);
  });

  test("piped input runs in the shell and its end ends the session, with the shell's status", async () => {
    const result = await fx.tobira(["shell", "web-a", "--profile", "project-a"], {
      input: 'echo "piped-$USER"\nfalse\n',
    });
    assert.match(result.stdout, /piped-os-user1/);
    assert.equal(result.code, 1, result.stderr);
  });
});
