// Test-only adapter: decides a case with @cloud-copilot/iam-simulate's core engine (AGPL; never shipped).
//
// The package's `runUnsafeSimulation` loads a resource policy without a name and then fails reading it, and
// its validating `runSimulation` drops condition keys it does not know for the action. So this adapter calls
// the same core `authorize` that both use, loading every policy with a name. The package's export map hides
// the core modules, hence the resolution through its CommonJS build directory.

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Decision, EvaluationInput } from "../../src/policy/index.js";

const requireHere = createRequire(import.meta.url);
const cjsDir = dirname(requireHere.resolve("@cloud-copilot/iam-simulate"));
const requireThere = createRequire(join(cjsDir, "index.js"));

interface LoadedPolicy {
  readonly __loaded: true;
}
const { loadPolicy } = requireThere("@cloud-copilot/iam-policy") as {
  loadPolicy: (policy: unknown, metadata: { name: string }) => LoadedPolicy;
};
const { authorize } = requireThere("./core_engine/CoreSimulatorEngine.js") as {
  authorize: (request: unknown) => { result: string };
};
const { AwsRequestImpl } = requireThere("./request/request.js") as {
  AwsRequestImpl: new (
    principal: string,
    resource: { resource: string; accountId: string },
    action: string,
    context: unknown,
  ) => unknown;
};
const { RequestContextImpl } = requireThere("./requestContext.js") as {
  RequestContextImpl: new (values: Record<string, string | string[]>) => unknown;
};
const { DiscoveryContextKeyConstraints } = requireThere(
  "./context_keys/discoveryContextKeyConstraints.js",
) as {
  DiscoveryContextKeyConstraints: new (constraints: unknown[]) => unknown;
};

/** iam-simulate's decision for the same input (identity and resource policies; session policies are not used). */
export function referenceDecision(input: EvaluationInput): Decision {
  const { request } = input;
  const awsRequest = new AwsRequestImpl(
    request.principal.arn,
    { resource: request.resource, accountId: request.resourceAccount },
    request.action,
    new RequestContextImpl(request.context),
  );
  const analysis = authorize({
    request: awsRequest,
    sessionPolicy: undefined,
    identityPolicies: input.identityPolicies.map((p) => loadPolicy(p.document, { name: p.name })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: input.resourcePolicy
      ? loadPolicy(input.resourcePolicy.document, { name: input.resourcePolicy.name })
      : undefined,
    permissionBoundaries: undefined,
    vpcEndpointPolicies: undefined,
    simulationParameters: {
      simulationMode: "Strict",
      discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]),
    },
  });
  if (analysis.result === "Allowed") return "Allow";
  if (analysis.result === "ExplicitlyDenied") return "ExplicitDeny";
  if (analysis.result === "ImplicitlyDenied") return "ImplicitDeny";
  throw new Error(`iam-simulate returned an unexpected result: ${String(analysis.result)}`);
}
