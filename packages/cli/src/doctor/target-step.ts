// Step 5a, target and agent: TARGET resolves to exactly one instance or managed node (by id, Name, tag, IP or
// DNS name), and Systems Manager sees its agent Online, with the agent's version.

import { TobiraError } from "../errors.js";
import { candidateLine } from "../sessions/ssm/target-choice.js";
import { describeTargetQuery, parseTargetQuery } from "../sessions/ssm/target-query.js";
import { findTargets, type Target } from "../sessions/ssm/targets.js";
import { answerLine } from "./aws-answer.js";
import { type StepReport, step } from "./report.js";
import type { TargetContext } from "./target-context.js";

function targetLines(t: Target): string[] {
  const tags = Object.entries(t.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return [
    `${t.id} (${t.kind === "ec2" ? "EC2 instance" : "managed node"}), Name ${t.name || "(none)"}, state ${t.state || "unknown"}`,
    `private IP ${t.privateIp || "unknown"}, DNS ${t.privateDnsName || "unknown"}`,
    `tags: ${tags || "none"}`,
  ];
}

export async function targetStep(tc: TargetContext, text: string, profile: string): Promise<StepReport> {
  let query: ReturnType<typeof parseTargetQuery>;
  try {
    query = parseTargetQuery(text);
  } catch (error) {
    if (!(error instanceof TobiraError)) throw error;
    return step("target", "target", "failure", error.message, [], error.hint ?? "name an instance id");
  }
  let found: Awaited<ReturnType<typeof findTargets>>;
  try {
    found = await findTargets(tc.access, query);
  } catch (error) {
    return step(
      "target",
      "target",
      "failure",
      `the targets cannot be listed: ${answerLine(error)}`,
      [],
      `allow ec2:DescribeInstances and ssm:DescribeInstanceInformation on "*" for the profile's role`,
    );
  }
  const { targets } = found;
  if (targets.length === 0)
    return step(
      "target",
      "target",
      "failure",
      `nothing matches ${describeTargetQuery(query)} in ${tc.access.region}`,
      [],
      `tobira targets --profile ${profile} (lists what this profile can see)`,
    );
  if (targets.length > 1)
    return step(
      "target",
      "target",
      "failure",
      `${targets.length} targets match ${describeTargetQuery(query)}`,
      targets.map(candidateLine),
      `name one by its id: tobira doctor ${profile} ${targets[0]!.id}`,
    );
  tc.target = targets[0]!;
  return step(
    "target",
    "target",
    "ok",
    `${describeTargetQuery(query)} is ${tc.target.id}${tc.target.name ? ` (${tc.target.name})` : ""}`,
    targetLines(tc.target),
  );
}

export function agentStep(tc: TargetContext, profile: string): StepReport {
  const t = tc.target!;
  const label = t.name ? `${t.name} (${t.id})` : t.id;
  const version = t.agentVersion ? `agent ${t.agentVersion}` : "agent version unknown";
  if (t.state === "stopped" || t.state === "stopping")
    return step(
      "agent",
      "agent",
      "failure",
      `${label} is ${t.state}, so its agent is offline`,
      [`ping status ${t.pingStatus || "unknown"}`],
      `tobira exec ${profile} -- aws ec2 start-instances --instance-ids ${t.id}`,
    );
  if (t.pingStatus === "")
    return step(
      "agent",
      "agent",
      "failure",
      `Systems Manager does not know ${label}'s agent`,
      [],
      "attach an instance profile whose role has AmazonSSMManagedInstanceCore, and check that amazon-ssm-agent runs",
    );
  if (t.pingStatus !== "Online")
    return step(
      "agent",
      "agent",
      "failure",
      `${label}'s agent is ${t.pingStatus}, not Online`,
      [version],
      "on the instance: sudo systemctl restart amazon-ssm-agent (and check it reaches the ssm, ssmmessages and ec2messages endpoints)",
    );
  return step("agent", "agent", "ok", `Online, ${version}`, [
    `ping status ${t.pingStatus}, platform ${t.platform || "unknown"}`,
  ]);
}
