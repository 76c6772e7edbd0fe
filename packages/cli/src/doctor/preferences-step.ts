// Step 5c, Session Manager preferences (the account's SSM-SessionManagerRunShell document): the KMS key that
// encrypts sessions, Run As and the OS user this role's sessions get, the shell profile. With KMS on, a role
// profile with mfa_serial that the AWS CLI can use is the articles' AssumeRoleTokenProviderNotSetError: the
// plugin rebuilds credentials from the profile and cannot ask for a code.
import { GetDocumentCommand } from "@aws-sdk/client-ssm";
import { answerLine, isAccessDenied } from "./aws-answer.js";
import type { DoctorContext } from "./context.js";
import { type StepReport, step, unchecked } from "./report.js";
import type { SessionPreferences, TargetContext } from "./target-context.js";

const TITLE = "Session Manager preferences";

function readPreferences(content: string): SessionPreferences {
  const inputs = (JSON.parse(content) as { inputs?: Record<string, unknown> }).inputs ?? {};
  const text = (key: string) => (typeof inputs[key] === "string" ? (inputs[key] as string) : "");
  const shell = inputs.shellProfile as { linux?: string } | undefined;
  return {
    kmsKeyId: text("kmsKeyId"),
    runAsEnabled: inputs.runAsEnabled === true || inputs.runAsEnabled === "true",
    runAsDefaultUser: text("runAsDefaultUser"),
    shellProfileLinux: shell?.linux ?? "",
  };
}

/** The OS user a session of this role runs as: its SSMSessionRunAs tag, else the default. */
export function runAsUser(tc: TargetContext): string | undefined {
  const p = tc.preferences;
  if (!p?.runAsEnabled) return undefined;
  return tc.role?.tags.SSMSessionRunAs ?? (p.runAsDefaultUser || undefined);
}

function runAsWords(tc: TargetContext, user: string | undefined): string {
  if (user === undefined) return "nobody (no SSMSessionRunAs tag, no default user)";
  return tc.role?.tags.SSMSessionRunAs
    ? `${user} (the role's SSMSessionRunAs tag)`
    : `${user} (the default user)`;
}

/** The articles' failure: the AWS CLI can use this MFA role profile, and its plugin would then call KMS. */
function pluginTrap(ctx: DoctorContext, tc: TargetContext): string | undefined {
  const resolved = ctx.resolved;
  const hop = resolved?.roles.find((h) => h.mfaSerial !== undefined);
  if (!tc.preferences?.kmsKeyId || !resolved || !hop) return undefined;
  const source = resolved.source;
  if (source.kind !== "static" || !source.fromFile) return undefined;
  return `\`aws ssm start-session --target ${tc.target?.id} --profile ${ctx.profile}\` fails: the key in ${source.fromFile.file} lets the AWS CLI assume ${hop.roleArn} with MFA, but session-manager-plugin rebuilds the credentials for KMS without an MFA token provider (AssumeRoleTokenProviderNotSetError: assume role with MFA enabled, but AssumeRoleTokenProvider session option not set)`;
}

export async function preferencesStep(ctx: DoctorContext, tc: TargetContext): Promise<StepReport> {
  let content: string;
  try {
    const out = await tc.access.ssm.send(
      new GetDocumentCommand({ Name: "SSM-SessionManagerRunShell", DocumentFormat: "JSON" }),
    );
    content = out.Content ?? "{}";
  } catch (error) {
    if (!isAccessDenied(error) && !/InvalidDocument/.test(answerLine(error))) throw error;
    return unchecked("preferences", TITLE, `the document cannot be read: ${answerLine(error)}`, [
      "KMS and Run As are then learned from the trial session",
    ]);
  }
  const p = readPreferences(content);
  tc.preferences = p;
  const user = runAsUser(tc);
  const evidence = [
    `KMS encryption: ${p.kmsKeyId === "" ? "off" : `on, key ${p.kmsKeyId}`}`,
    `Run As: ${p.runAsEnabled ? `on; this role's sessions run as ${runAsWords(tc, user)}` : "off (ssm-user)"}`,
    `shell profile (Linux): ${p.shellProfileLinux === "" ? "none" : p.shellProfileLinux.split("\n").join("; ")}`,
  ];
  const trap = pluginTrap(ctx, tc);
  if (trap)
    return step(
      "preferences",
      TITLE,
      "warning",
      "the AWS CLI's session-manager-plugin cannot open this profile's KMS-encrypted sessions",
      [...evidence, trap],
      `open sessions with tobira (it calls KMS with the credentials it holds): tobira shell ${tc.target?.id} --profile ${ctx.profile}; for the AWS CLI use a profile with "credential_process = tobira credential-process ${ctx.profile}", and move the key into the vault: tobira add ${ctx.resolved?.source.profile}`,
    );
  if (p.runAsEnabled && user === undefined)
    return step(
      "preferences",
      TITLE,
      "failure",
      "Run As is on but names no user for this role",
      evidence,
      `tag the role: aws iam tag-role --role-name ${tc.principalArn.split("/").pop()} --tags Key=SSMSessionRunAs,Value=USER`,
    );
  return step(
    "preferences",
    TITLE,
    "ok",
    `KMS ${p.kmsKeyId === "" ? "off" : "on"}, Run As ${p.runAsEnabled ? (user ?? "") : "off"}`,
    evidence,
  );
}
