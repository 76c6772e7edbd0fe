// IAM's policy simulator: SimulatePrincipalPolicy (a user's, group's or role's own policies, plus any given)
// and SimulateCustomPolicy (only the policies given), decided by the sandbox's own policy engine. As in IAM,
// nothing is filled in for the caller: the request context is exactly the ContextEntries given.

import type { NamedPolicy, PolicyDocument } from "../../policy/types.js";
import { AwsServiceError } from "../../protocol/errors.js";
import type { QueryParams } from "../../protocol/query.js";
import type { XmlObject } from "../../protocol/xml.js";
import type { ServiceCall } from "../../server/runtime.js";
import { authorize } from "../authorize.js";
import { baseRequestContext } from "../request-context.js";
import { evaluateAll, type SimulationSubject } from "./evaluate-simulation.js";
import { findPolicySource, simulatedPrincipal } from "./policy-source.js";
import { readSimulationInput, type SimulationInput } from "./simulation-input.js";

function named(prefix: string, documents: PolicyDocument[]): NamedPolicy[] {
  return documents.map((document, i) => ({ name: `${prefix}.${i + 1}`, document }));
}

function resourcePolicyOf(input: SimulationInput): NamedPolicy | undefined {
  return input.resourcePolicy ? { name: "ResourcePolicy", document: input.resourcePolicy } : undefined;
}

function answer(subject: SimulationSubject, input: SimulationInput): XmlObject {
  return { EvaluationResults: evaluateAll(subject, input), IsTruncated: false };
}

function simulatePrincipalPolicy(call: ServiceCall, params: QueryParams): XmlObject {
  const sourceArn = params.get("PolicySourceArn");
  if (!sourceArn)
    throw new AwsServiceError(
      "ValidationError",
      "1 validation error detected: Value null at 'policySourceArn' failed to satisfy constraint: Member must not be null",
      400,
    );
  authorize(call, {
    action: "iam:SimulatePrincipalPolicy",
    resource: sourceArn,
    context: baseRequestContext(call),
    withReason: true,
  });
  const source = findPolicySource(call.runtime.world, sourceArn);
  if (source.account !== call.caller.account)
    throw new AwsServiceError("NoSuchEntity", `PolicySourceArn ${sourceArn} is not in your account.`, 404);
  const input = readSimulationInput(params, "PolicyInputList");
  const subject: SimulationSubject = {
    principal: simulatedPrincipal(input.callerArn ?? source.arn, source.account),
    identity: [...source.policies, ...named("PolicyInputList", input.policyInputs)],
    boundaries: named("PermissionsBoundaryPolicyInputList", input.boundaries),
    resourcePolicy: resourcePolicyOf(input),
  };
  return answer(subject, input);
}

function simulateCustomPolicy(call: ServiceCall, params: QueryParams): XmlObject {
  authorize(call, {
    action: "iam:SimulateCustomPolicy",
    resource: "*",
    context: baseRequestContext(call),
    withReason: true,
  });
  const input = readSimulationInput(params, "PolicyInputList");
  if (input.policyInputs.length === 0)
    throw new AwsServiceError("InvalidInput", "PolicyInputList must hold at least one policy.", 400);
  // Without a caller, a resource policy's Principal is matched against CallerArn or this account's root.
  const arn = input.callerArn ?? `arn:aws:iam::${call.caller.account}:root`;
  const subject: SimulationSubject = {
    principal: simulatedPrincipal(arn, call.caller.account),
    identity: named("PolicyInputList", input.policyInputs),
    boundaries: named("PermissionsBoundaryPolicyInputList", input.boundaries),
    resourcePolicy: resourcePolicyOf(input),
  };
  return answer(subject, input);
}

export const simulationActions = {
  SimulatePrincipalPolicy: simulatePrincipalPolicy,
  SimulateCustomPolicy: simulateCustomPolicy,
};
