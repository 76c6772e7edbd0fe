// Step 5b, ssm:StartSession: may the profile's role open sessions on this target, with the documents tobira's
// commands use (shell, port forwarding, SSH)? Asked of IAM's policy simulator with the target's and the role's
// tags; a refusal that comes from an ABAC tag the two do not share is named as such.
import type { EvaluationResult } from "@aws-sdk/client-iam";
import { answerLine, isAccessDenied } from "./aws-answer.js";
import { type StepReport, step, unchecked } from "./report.js";
import { decisionLine, sessionContext, simulate } from "./simulate.js";
import { documentArn, type TargetContext, targetArn } from "./target-context.js";

const TITLE = "ssm:StartSession";
const DOCUMENTS: [string, string][] = [
  ["SSM-SessionManagerRunShell", "tobira shell"],
  ["AWS-StartPortForwardingSession", "tobira port"],
  ["AWS-StartSSHSession", "tobira ssh-proxy"],
];

/** Tags both sides carry with different values (Name aside): the usual ABAC mismatch. */
function tagMismatches(tc: TargetContext): string[] {
  const roleTags = tc.role?.tags ?? {};
  return Object.entries(tc.target?.tags ?? {})
    .filter(([key, value]) => key !== "Name" && roleTags[key] !== undefined && roleTags[key] !== value)
    .map(([key, value]) => `${key}: the target has ${value}, the role has ${roleTags[key]}`);
}

function statementFor(resources: string[]): string {
  return JSON.stringify({
    Effect: "Allow",
    Action: "ssm:StartSession",
    Resource: resources.length === 1 ? resources[0] : resources,
  });
}

function instanceRefusal(tc: TargetContext, evidence: string[], profile: string): StepReport {
  const t = tc.target!;
  const mismatches = tagMismatches(tc);
  if (mismatches.length > 0) {
    const [key = "Project"] = mismatches[0]!.split(":");
    const value = t.tags[key] ?? "";
    evidence.push(...mismatches.map((m) => `tag mismatch: ${m}`));
    return step(
      "start-session",
      TITLE,
      "failure",
      `tag ${key} does not match: ${mismatches[0]}`,
      evidence,
      `use a profile whose role has ${key}=${value}, or if ${t.id} belongs to this role's project: tobira exec ${profile} -- aws ec2 create-tags --resources ${t.id} --tags Key=${key},Value=${tc.role?.tags[key] ?? ""}`,
    );
  }
  return step(
    "start-session",
    TITLE,
    "failure",
    `the role may not start sessions on ${t.id}`,
    evidence,
    `add to ${tc.principalArn}'s policy: ${statementFor([targetArn(tc)])}`,
  );
}

export async function startSessionStep(tc: TargetContext, profile: string): Promise<StepReport> {
  const instance = targetArn(tc);
  const documents = DOCUMENTS.map(([name, use]) => ({ arn: documentArn(tc, name), use }));
  let results: EvaluationResult[];
  try {
    results = await simulate(tc, {
      principalArn: tc.principalArn,
      actions: ["ssm:StartSession"],
      resources: [instance, ...documents.map((d) => d.arn)],
      context: sessionContext(tc),
    });
  } catch (error) {
    if (isAccessDenied(error)) tc.maySimulate = false;
    return unchecked("start-session", TITLE, `IAM's simulator refused: ${answerLine(error)}`, [
      "the trial session below still shows whether a session opens",
    ]);
  }
  const evidence = results.map(decisionLine);
  const decision = (arn: string) => results.find((r) => r.EvalResourceName === arn)?.EvalDecision;
  if (decision(instance) !== "allowed") return instanceRefusal(tc, evidence, profile);
  const denied = documents.filter((d) => decision(d.arn) !== "allowed");
  if (denied.length === documents.length)
    return step(
      "start-session",
      TITLE,
      "failure",
      "the role may use none of the session documents",
      evidence,
      `add to ${tc.principalArn}'s policy: ${statementFor(denied.map((d) => d.arn))}`,
    );
  if (denied.length > 0)
    return step(
      "start-session",
      TITLE,
      "warning",
      `not allowed for ${denied.map((d) => d.use).join(", ")}`,
      evidence,
      `add to ${tc.principalArn}'s policy: ${statementFor(denied.map((d) => d.arn))}`,
    );
  return step(
    "start-session",
    TITLE,
    "ok",
    `allowed on ${tc.target!.id} for shell, port forwarding and SSH`,
    evidence,
  );
}
