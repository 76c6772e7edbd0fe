// The demo's credential steps: the real `tobira` CLI run as a user runs it (separate processes, a file vault,
// MFA codes through tobira_mfa_process), with the sandbox's audit log as the witness of every STS call.
import { type AuditLine, readAuditLog, renderAuditLine, requestIdOf, sentMfaCode } from "./demo-audit.js";
import type { DemoContext } from "./demo-context.js";
import type { DemoStep } from "./demo-step.js";
import { AWS_CLI_PROFILE, type CommandResult, type DemoUser, prepareDemoUser } from "./demo-user.js";

const AWS_CLI = "/usr/bin/aws";

/** The user's machine, set up by the first credential step and shared by the others. */
export function userOf(demo: DemoContext): DemoUser {
  let user = demo.shared.get("user") as DemoUser | undefined;
  if (!user) {
    user = prepareDemoUser(demo.paths, process.argv[1] ?? "");
    demo.shared.set("user", user);
    // Where the credential steps start in the audit log: MFA codes are counted from here.
    demo.shared.set("firstCliAuditLine", readAuditLog(demo.paths.audit).length);
  }
  return user;
}

/** The ARN a role session named after alice has: arn:aws:iam::A:role/R → arn:aws:sts::A:assumed-role/R/alice. */
function assumedRoleArn(demo: DemoContext, profile: string): string {
  const roleArn = demo.profile(profile).role_arn ?? "";
  return roleArn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/").concat("/alice");
}

/** Prints what the user sees: the command line, stdout (JSON shortened to its Arn), and tobira's stderr. */
export function showRun(demo: DemoContext, shown: string, result: CommandResult): void {
  const output = [
    ...result.stdout.split("\n"),
    ...result.stderr.split("\n").map((l) => l && `(stderr) ${l}`),
  ];
  demo.transcript([`$ ${shown}`, ...output.filter((line) => line.trim() !== "")]);
}

/** The Arn and request id the whoami program printed (absent when it printed something else). */
function whoamiOutput(result: CommandResult): { Arn?: string; requestId?: string } {
  const arn = /^Arn: (\S+)$/m.exec(result.stdout)?.[1];
  const requestId = /^request id: (\S+)$/m.exec(result.stdout)?.[1];
  return { ...(arn ? { Arn: arn } : {}), ...(requestId ? { requestId } : {}) };
}

/** Audit lines written since `from`, split into the caller's own call (by request id) and tobira's STS calls. */
function newAuditLines(demo: DemoContext, from: number, callerRequestId: string | undefined) {
  const lines = readAuditLog(demo.paths.audit).slice(from);
  const caller = lines.filter((line) => callerRequestId && requestIdOf(line.entry) === callerRequestId);
  const tobira = lines.filter((line) => !caller.includes(line) && line.entry.service === "sts");
  return { lines, tobira };
}

function showAudit(demo: DemoContext, lines: readonly AuditLine[]): void {
  demo.say("New lines in the audit log:");
  demo.print(lines.flatMap((line) => renderAuditLine(line, { reason: false, indent: "    " })));
}

/** MFA codes sent since the credential steps began: calls made with alice's long-term key and a code. */
export function codesSent(demo: DemoContext): number {
  const from = (demo.shared.get("firstCliAuditLine") as number | undefined) ?? 0;
  return readAuditLog(demo.paths.audit).slice(from).filter(sentMfaCode).length;
}

/** Runs `tobira exec PROFILE -- node whoami.mjs`, shows it, checks the ARN, records the child's call. */
async function execWhoami(demo: DemoContext, profile: string) {
  const user = userOf(demo);
  const start = readAuditLog(demo.paths.audit).length;
  const result = await user.run("tobira", ["exec", profile, "--", process.execPath, user.whoami]);
  showRun(demo, `tobira exec ${profile} -- node whoami.mjs`, result);
  const seen = whoamiOutput(result);
  const expected = assumedRoleArn(demo, profile);
  demo.recordCall({
    label: `the child's GetCallerIdentity under tobira exec ${profile}`,
    expected: "allowed",
    outcome: result.code === 0 && seen.Arn ? "allowed" : "failed",
    requestId: seen.requestId,
  });
  demo.check(
    `tobira exec ${profile}: the child acts as ${expected.slice(expected.indexOf("assumed-role/"))}`,
    result.code === 0 && seen.Arn === expected,
    `exit ${result.code}, Arn ${seen.Arn ?? "none"}`,
  );
  return newAuditLines(demo, start, seen.requestId);
}

const addKey: DemoStep = {
  title: "tobira add: alice's key goes into the vault, not into a file",
  async run(demo) {
    const user = userOf(demo);
    const key = user.aliceKey();
    demo.say(
      "From here on the real tobira CLI runs as separate processes, as a user runs it. alice stores her IAM " +
        "user's access key once (the sandbox's credentials file plays the IAM console). The vault is an " +
        "encrypted file here (TOBIRA_VAULT_FILE; the passphrase comes from TOBIRA_VAULT_PASSPHRASE); on a " +
        "desktop it is the OS keyring. No AWS file holds the key.",
    );
    const result = await user.run("tobira", ["add", "alice", "--env"], {
      AWS_ACCESS_KEY_ID: key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    });
    showRun(demo, "AWS_ACCESS_KEY_ID=AKIA… AWS_SECRET_ACCESS_KEY=… tobira add alice --env", result);
    demo.check(
      "tobira add alice",
      result.code === 0 && result.stdout.startsWith("Stored access key"),
      `exit ${result.code}`,
    );
    demo.say(
      "Her ~/.aws/config gets two additions: where MFA codes come from (a phone app would be typed in; " +
        "here the sandbox's virtual device answers), and a profile for the AWS CLI:",
    );
    demo.transcript(user.configLines);
  },
};

const execSwitch: DemoStep = {
  title: "tobira exec switch: one MFA code, then the role",
  async run(demo) {
    const role = demo.profile("switch");
    demo.say(
      `Profile 'switch' assumes ${role.role_arn} from alice with her MFA device. tobira trades alice's key ` +
        "for an MFA session (GetSessionToken, one code), assumes the role with it, names the role session " +
        "after the IAM user, and runs the command with the role's temporary credentials in its environment:",
    );
    const { lines } = await execWhoami(demo, "switch");
    showAudit(demo, lines);
    demo.check("MFA codes sent for this working session: 1", codesSent(demo) === 1, `${codesSent(demo)}`);
  },
};

const execProjectA: DemoStep = {
  title: "tobira exec project-a: another role, no new MFA code",
  async run(demo) {
    demo.say(
      "Profile 'project-a' is another role behind the same user and MFA device. tobira reuses the cached MFA " +
        "session, so assuming this role costs no code — one MFA per working session:",
    );
    const { lines, tobira } = await execWhoami(demo, "project-a");
    showAudit(demo, lines);
    demo.check(
      "tobira's STS calls: one AssumeRole, sent with the MFA session's key",
      tobira.length === 1 && tobira[0]?.entry.action === "AssumeRole" && !sentMfaCode(tobira[0]),
      tobira.map((line) => line.entry.action).join(", "),
    );
    demo.check(
      "MFA codes sent for this working session: still 1",
      codesSent(demo) === 1,
      `${codesSent(demo)}`,
    );
  },
};

const cachedSecondCall: DemoStep = {
  title: "A second call is served from the cache",
  async run(demo) {
    demo.say(
      "The role's credentials are cached (encrypted, under a key that lives until logout) until five " +
        "minutes before they expire. The second exec opens no vault, asks for no code and calls no STS:",
    );
    const { lines, tobira } = await execWhoami(demo, "switch");
    showAudit(demo, lines);
    demo.check("STS calls made by tobira: none", tobira.length === 0, `${tobira.length}`);
  },
};

const awsCliCredentialProcess: DemoStep = {
  title: "The AWS CLI gets its credentials from tobira credential-process",
  async run(demo) {
    const user = userOf(demo);
    const version = await user.run(AWS_CLI, ["--version"]);
    if (version.code !== 0 || !/^aws-cli\/2\./.test(version.stdout)) {
      demo.say(
        `Skipped: ${AWS_CLI} is not the AWS CLI v2 here (Debian's awscli package provides it). With it, ` +
          `\`aws sts get-caller-identity --profile ${AWS_CLI_PROFILE}\` would run tobira as its credential_process.`,
      );
      return;
    }
    demo.say(
      `${version.stdout.split(" ")[0]} runs \`tobira credential-process switch\` for profile ` +
        `'${AWS_CLI_PROFILE}' and reads its JSON; tobira answers from the cache. (This AWS CLI predates ` +
        "endpoint_url in the config file, so the sandbox's endpoint is passed with --endpoint-url.)",
    );
    const start = readAuditLog(demo.paths.audit).length;
    const result = await user.run(AWS_CLI, [
      "sts",
      "get-caller-identity",
      "--profile",
      AWS_CLI_PROFILE,
      "--region",
      demo.profile("switch").region ?? demo.world.region,
      "--endpoint-url",
      demo.endpoint,
      "--output",
      "json",
    ]);
    let arn: string | undefined;
    try {
      arn = (JSON.parse(result.stdout) as { Arn?: string }).Arn;
    } catch {
      arn = undefined;
    }
    showRun(
      demo,
      `aws sts get-caller-identity --profile ${AWS_CLI_PROFILE} --endpoint-url ${demo.endpoint}`,
      { ...result, stdout: arn ? `"Arn": "${arn}"` : result.stdout },
    );
    const lines = readAuditLog(demo.paths.audit).slice(start);
    showAudit(demo, lines);
    const own = lines.filter((line) => line.entry.action === "GetCallerIdentity");
    demo.recordCall({
      label: "the AWS CLI's GetCallerIdentity through credential_process",
      expected: "allowed",
      outcome: result.code === 0 ? "allowed" : "failed",
      requestId: own.length === 1 ? requestIdOf(own[0]!.entry) : undefined,
    });
    const expected = assumedRoleArn(demo, "switch");
    demo.check("the AWS CLI acts as the role", result.code === 0 && arn === expected, `exit ${result.code}`);
    demo.check(
      "STS calls made by tobira: none (a cache hit)",
      lines.length === 1 && own.length === 1,
      `${lines.length - own.length}`,
    );
  },
};

export const credentialSteps: DemoStep[] = [
  addKey,
  execSwitch,
  execProjectA,
  cachedSecondCall,
  awsCliCredentialProcess,
];
