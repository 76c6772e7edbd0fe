// Reads SimulatePrincipalPolicy / SimulateCustomPolicy parameters: actions, resources, policies given as JSON
// text, and context entries (key, type, values), checked as IAM checks them.

import { policyDocumentSchema } from "../../policy/schema.js";
import type { PolicyDocument, RequestContextValues } from "../../policy/types.js";
import { AwsServiceError } from "../../protocol/errors.js";
import type { QueryParams } from "../../protocol/query.js";

/** IAM's ContextKeyType values; list types carry several values. */
const CONTEXT_KEY_TYPES = [
  "string",
  "stringList",
  "numeric",
  "numericList",
  "boolean",
  "booleanList",
  "ip",
  "ipList",
  "binary",
  "binaryList",
  "date",
  "dateList",
];

export interface SimulationInput {
  actions: string[];
  resources: string[];
  /** Extra identity policies (PolicyInputList), in order. */
  policyInputs: PolicyDocument[];
  boundaries: PolicyDocument[];
  resourcePolicy?: PolicyDocument | undefined;
  resourceOwner?: string | undefined;
  callerArn?: string | undefined;
  context: RequestContextValues;
}

function invalidInput(message: string): AwsServiceError {
  return new AwsServiceError("InvalidInput", message, 400);
}

/** A policy document given as JSON text; a malformed one is IAM's MalformedPolicyDocument. */
export function parsePolicyText(text: string, where: string): PolicyDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AwsServiceError("MalformedPolicyDocument", `${where}: the policy is not valid JSON.`, 400);
  }
  const parsed = policyDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join(".") ?? "";
    throw new AwsServiceError(
      "MalformedPolicyDocument",
      `${where}: ${path === "" ? "" : `${path} `}${issue?.message ?? "is not a policy document"}`,
      400,
    );
  }
  return parsed.data;
}

/** ContextEntries.member.N.{ContextKeyName, ContextKeyType, ContextKeyValues.member.M}. */
function contextEntries(params: QueryParams): RequestContextValues {
  const context: RequestContextValues = {};
  for (const entry of params.memberStructs("ContextEntries")) {
    const name = entry.ContextKeyName;
    const type = entry.ContextKeyType;
    if (!name) throw invalidInput("Each context entry needs a ContextKeyName.");
    if (!type || !CONTEXT_KEY_TYPES.includes(type))
      throw invalidInput(
        `Context key ${name}: ContextKeyType must be one of ${CONTEXT_KEY_TYPES.join(", ")}.`,
      );
    const values: string[] = [];
    for (let i = 1; entry[`ContextKeyValues.member.${i}`] !== undefined; i++) {
      values.push(entry[`ContextKeyValues.member.${i}`] ?? "");
    }
    if (values.length === 0) throw invalidInput(`Context key ${name} has no ContextKeyValues.`);
    context[name] = type.endsWith("List") ? values : (values[0] ?? "");
  }
  return context;
}

export function readSimulationInput(params: QueryParams, policyListName: string): SimulationInput {
  const actions = params.memberList("ActionNames");
  if (actions.length === 0) throw invalidInput("ActionNames must list at least one action.");
  for (const action of actions) {
    if (!/^[\w-]+:[\w*?]+$/.test(action)) throw invalidInput(`Action ${action} is not service:Action.`);
  }
  const resources = params.memberList("ResourceArns");
  const policyInputs = params
    .memberList(policyListName)
    .map((text, i) => parsePolicyText(text, `${policyListName}.${i + 1}`));
  const boundaries = params
    .memberList("PermissionsBoundaryPolicyInputList")
    .map((text, i) => parsePolicyText(text, `PermissionsBoundaryPolicyInputList.${i + 1}`));
  const resourcePolicyText = params.get("ResourcePolicy");
  return {
    actions,
    resources: resources.length > 0 ? resources : ["*"],
    policyInputs,
    boundaries,
    resourcePolicy:
      resourcePolicyText === undefined ? undefined : parsePolicyText(resourcePolicyText, "ResourcePolicy"),
    resourceOwner: params.get("ResourceOwner"),
    callerArn: params.get("CallerArn"),
    context: contextEntries(params),
  };
}
