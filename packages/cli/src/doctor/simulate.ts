// Asks IAM's policy simulator (SimulatePrincipalPolicy) the questions doctor cannot learn by a harmless call,
// filling the context a real request would carry: the resource's tags, the principal's tags, MFA. IAM fills
// none of these itself, so a simulation without them would deny what AWS allows.
import {
  type ContextEntry,
  type EvaluationResult,
  IAMClient,
  SimulatePrincipalPolicyCommand,
} from "@aws-sdk/client-iam";
import { clientConfig } from "./role-facts.js";
import type { TargetContext } from "./target-context.js";

export interface SimulationQuestion {
  principalArn: string;
  actions: string[];
  resources: string[];
  context: Record<string, string>;
  resourcePolicy?: string | undefined;
}

export function stringEntries(values: Record<string, string>): ContextEntry[] {
  return Object.entries(values).map(([ContextKeyName, value]) => ({
    ContextKeyName,
    ContextKeyType: value === "true" || value === "false" ? "boolean" : "string",
    ContextKeyValues: [value],
  }));
}

/** The context StartSession on this target carries: its tags, the principal's tags, MFA. */
export function sessionContext(tc: TargetContext): Record<string, string> {
  const context: Record<string, string> = { "aws:PrincipalArn": tc.principalArn };
  for (const [key, value] of Object.entries(tc.target?.tags ?? {})) {
    context[`aws:ResourceTag/${key}`] = value;
    context[`ssm:resourceTag/${key}`] = value;
  }
  for (const [key, value] of Object.entries(tc.role?.tags ?? {})) context[`aws:PrincipalTag/${key}`] = value;
  if (tc.mfa) context["aws:MultiFactorAuthPresent"] = "true";
  return context;
}

export async function simulate(tc: TargetContext, question: SimulationQuestion): Promise<EvaluationResult[]> {
  const iam = new IAMClient(
    clientConfig({ region: tc.access.region, endpoint: tc.access.endpointUrl }, tc.access.credentials),
  );
  try {
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: question.principalArn,
        ActionNames: question.actions,
        ResourceArns: question.resources,
        ContextEntries: stringEntries(question.context),
        ...(question.resourcePolicy === undefined ? {} : { ResourcePolicy: question.resourcePolicy }),
      }),
    );
    return out.EvaluationResults ?? [];
  } finally {
    iam.destroy();
  }
}

/** "allowed by SessionManagerByProject (user-managed)" */
export function decisionLine(result: EvaluationResult): string {
  const by = (result.MatchedStatements ?? [])
    .map((m) => `${m.SourcePolicyId} (${m.SourcePolicyType})`)
    .join(", ");
  return `${result.EvalActionName} on ${result.EvalResourceName}: ${result.EvalDecision}${by ? ` by ${by}` : ""}`;
}
