// The demo's Session Manager steps: with the working session the credential steps opened, the real `tobira`
// lists alice's targets, runs a command on a KMS-encrypted session and is refused where her role may not go.
// The audit log witnesses who asked KMS for the session's data key and who decrypted it.

import { codesSent, showRun, userOf } from "./cli-steps.js";
import { type AuditLine, readAuditLog, renderAuditLine, sentMfaCode } from "./demo-audit.js";
import type { DemoStep } from "./demo-step.js";

/** The role session alice's project-a profile acts as, and the instance role the agents act as. */
const OPERATOR_SESSION = ":assumed-role/project-a-operator/alice";
const INSTANCE_ROLE_SESSION = ":assumed-role/SSMInstanceRole/";
const WORLD_INSTANCES = ["web-a", "db-a", "web-b"];
/** The command `tobira run` sends: who the process is, the Run As user, the OS; then stderr and a status. */
const REMOTE_COMMAND = `whoami; echo "$USER"; uname -s; echo "to stderr" >&2; exit 3`;
const KMS_BANNER = "This session is encrypted using AWS KMS.";

function entryText(line: AuditLine, key: string): string {
  const value = line.entry[key];
  return typeof value === "string" ? value : "";
}

function isAction(line: AuditLine, service: string, action: string): boolean {
  return entryText(line, "service") === service && entryText(line, "action") === action;
}

/** The encryption context the sandbox notes in a KMS line's reason, as `key=value` pairs. */
function encryptionContextOf(line: AuditLine): string[] | undefined {
  const json = /encryption context (\{.*\})/.exec(entryText(line, "reason"))?.[1];
  if (json === undefined) return undefined;
  try {
    const pairs = Object.entries(JSON.parse(json) as Record<string, unknown>);
    return pairs.map(([name, value]) => `${name}=${String(value)}`);
  } catch {
    return [json];
  }
}

/** The statement that allowed a KMS call ("key policy#Sid"), without the key ARN the reason repeats. */
function decidingStatement(line: AuditLine): string {
  const reason = entryText(line, "reason");
  const sid = /#([^ ;]+) \((resource|identity)\)/.exec(reason);
  return sid ? `allowed by the ${sid[2] === "resource" ? "key policy" : "identity policy"}'s ${sid[1]}` : "";
}

const listTargets: DemoStep = {
  title: "tobira targets: where alice's project-a role can open sessions",
  async run(demo) {
    const start = readAuditLog(demo.paths.audit).length;
    demo.say(
      "The role's cached credentials ask EC2 and SSM which instances exist and whether their agents are " +
        "online. No MFA code: the working session is still open.",
    );
    const user = userOf(demo);
    const result = await user.run("tobira", ["targets", "--profile", "project-a"]);
    // A table: printed as it is (it fits the width), since wrapping would squeeze its columns.
    demo.print([
      "    $ tobira targets --profile project-a",
      ...result.stdout
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => `    ${line}`),
      ...result.stderr
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => `    (stderr) ${line}`),
    ]);
    const missing = WORLD_INSTANCES.filter((name) => !new RegExp(`\\b${name}\\b`).test(result.stdout));
    demo.check(
      `tobira targets lists ${WORLD_INSTANCES.join(", ")}`,
      result.code === 0 && missing.length === 0,
      `exit ${result.code}, missing: ${missing.join(", ") || "none"}`,
    );
    const sts = readAuditLog(demo.paths.audit)
      .slice(start)
      .filter((line) => entryText(line, "service") === "sts");
    demo.check("STS calls made by tobira: none (the role's cache)", sts.length === 0, `${sts.length}`);
  },
};

const runOnKmsSession: DemoStep = {
  title: "tobira run web-a: one command on a KMS-encrypted session",
  async run(demo) {
    demo.say(
      "The account's Session Manager preferences name a KMS key, so the session is encrypted. tobira asks " +
        "KMS for a data key with the credentials it already holds (the step where session-manager-plugin " +
        "fails under an MFA profile), the agent on web-a decrypts it as the instance role, and the command " +
        "runs as the role's SSMSessionRunAs user. Remote stdout goes to stdout, remote stderr and tobira's " +
        "own notes to stderr, and the remote exit status becomes tobira's:",
    );
    const start = readAuditLog(demo.paths.audit).length;
    const user = userOf(demo);
    const words = ["run", "web-a", "--profile", "project-a", "--", "sh", "-c", REMOTE_COMMAND];
    const result = await user.run("tobira", words);
    showRun(demo, `tobira run web-a --profile project-a -- sh -c '${REMOTE_COMMAND}'`, result);
    demo.transcript([`$ echo $?`, `${result.code}`]);
    const stdout = result.stdout.split("\n").map((line) => line.trim());
    demo.check("the KMS banner stays off stdout", !result.stdout.includes(KMS_BANNER));
    demo.check("the KMS banner is on stderr", result.stderr.includes(KMS_BANNER));
    demo.check(
      "the command runs as the Run As user os-user1 ($USER)",
      stdout[1] === "os-user1",
      `stdout: ${JSON.stringify(result.stdout)}`,
    );
    demo.check(
      "remote stderr stays on stderr, the exit status is the command's (3)",
      result.stderr.includes("to stderr") && !result.stdout.includes("to stderr") && result.code === 3,
      `exit ${result.code}`,
    );
    if (result.stderr.includes("[tobira sandbox] Run As os-user1")) {
      demo.say(
        "(No OS user os-user1 exists on this machine, so the sandbox's agent says so and sets USER, LOGNAME " +
          "and HOME for it; with the user present and the sandbox run as root, whoami shows os-user1 too.)",
      );
    }

    const lines = readAuditLog(demo.paths.audit).slice(start);
    const generate = lines.filter((line) => isAction(line, "kms", "GenerateDataKey"));
    const decrypt = lines.filter((line) => isAction(line, "kms", "Decrypt"));
    demo.say("The audit lines of the session's data key (the encryption context names the session):");
    demo.print(
      [...generate, ...decrypt]
        .sort((a, b) => a.number - b.number)
        .flatMap((line) => [
          ...renderAuditLine(line, { reason: false, indent: "    " }),
          `        ${decidingStatement(line)}`,
          ...(encryptionContextOf(line) ?? ["(no encryption context)"]).map(
            (pair) => `        context ${pair}`,
          ),
        ]),
    );
    const allowedBy = (found: AuditLine[], principal: string) =>
      found.length === 1 &&
      found[0]?.entry.decision === "Allow" &&
      entryText(found[0], "principalArn").includes(principal);
    demo.check("kms:GenerateDataKey by alice's project-a role", allowedBy(generate, OPERATOR_SESSION));
    demo.check("kms:Decrypt by web-a's instance role", allowedBy(decrypt, INSTANCE_ROLE_SESSION));
    const contexts = [...generate, ...decrypt].map(
      (line) => /encryption context (\{.*\})/.exec(entryText(line, "reason"))?.[1],
    );
    demo.check(
      "both name the same encryption context (the session)",
      contexts.length === 2 && contexts[0] !== undefined && contexts[0] === contexts[1],
      contexts.join(" / "),
    );
  },
};

const runDenied: DemoStep = {
  title: "tobira run web-b: another project's instance is refused",
  async run(demo) {
    const user = userOf(demo);
    demo.say(
      "web-b carries Project=project-b; the project-a role may start sessions only where the instance's " +
        "Project tag equals its own, so SSM refuses, and tobira passes on AWS's words:",
    );
    const start = readAuditLog(demo.paths.audit).length;
    const result = await user.run("tobira", ["run", "web-b", "--profile", "project-a", "--", "uname", "-s"]);
    showRun(demo, "tobira run web-b --profile project-a -- uname -s", result);
    demo.transcript([`$ echo $?`, `${result.code}`]);
    const lines = readAuditLog(demo.paths.audit).slice(start);
    const refused = lines.filter(
      (line) => isAction(line, "ssm", "StartSession") && entryText(line, "decision").endsWith("Deny"),
    );
    demo.print(refused.flatMap((line) => renderAuditLine(line, { indent: "    " })));
    demo.recordCall({
      label: "ssm:StartSession on web-b as project-a-operator",
      expected: "denied",
      outcome: result.code !== 0 && refused.length === 1 ? "denied" : "failed",
      requestId: refused[0] ? entryText(refused[0], "requestId") : undefined,
    });
    demo.check(
      "tobira run exits non-zero with AWS's AccessDeniedException",
      result.code !== 0 &&
        result.code !== null &&
        /AccessDeniedException|not authorized to perform: ssm:StartSession/.test(result.stderr),
      `exit ${result.code}`,
    );
    const mfa = readAuditLog(demo.paths.audit).slice(start).filter(sentMfaCode).length;
    demo.check(
      `MFA codes sent for this working session: still 1 (targets, run, run)`,
      codesSent(demo) === 1 && mfa === 0,
      `${codesSent(demo)}`,
    );
  },
};

export const sessionSteps: DemoStep[] = [listTargets, runOnKmsSession, runDenied];
