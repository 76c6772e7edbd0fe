// Runs one of the agent's self-authenticating SSM calls and writes its answer and audit line the way
// dispatch does for SigV4 calls: JSON 1.1 in and out, AWS's error shapes, never an unexpected error's text.

import type { AuditFacts } from "../../audit/audit-log.js";
import { AwsServiceError, internalFailure } from "../../protocol/errors.js";
import { jsonHeaders, parseJsonBody } from "../../protocol/json.js";
import { errorAnswer, type HttpAnswer } from "../../server/http-answer.js";
import type { IncomingAwsRequest } from "../../server/incoming-request.js";
import type { SandboxRuntime } from "../../server/runtime.js";
import type { TargetRoute } from "../../server/service-registry.js";

export interface AgentCall {
  request: IncomingAwsRequest;
  input: Record<string, unknown>;
  runtime: SandboxRuntime;
  now: number;
  audit: AuditFacts;
}

export type AgentAction = (call: AgentCall) => Promise<unknown>;

export function agentRoute(action: string, run: AgentAction): TargetRoute {
  return {
    target: `AmazonSSM.${action}`,
    async handle(request, requestId, runtime): Promise<HttpAnswer> {
      const audit: AuditFacts = { service: "ssm", action };
      try {
        const call = { request, input: parseJsonBody(request.body), runtime, now: runtime.clock(), audit };
        const result = await run(call);
        return {
          status: 200,
          headers: jsonHeaders(requestId),
          body: JSON.stringify(result ?? {}),
          audit: { ...audit, decision: audit.decision ?? "Allow" },
        };
      } catch (error) {
        if (error instanceof AwsServiceError) return errorAnswer(error, "json", requestId, audit);
        process.stderr.write(
          `sandbox: request ${requestId} failed: ${(error as Error)?.stack ?? String(error)}\n`,
        );
        return errorAnswer(internalFailure(), "json", requestId, audit);
      }
    },
  };
}
