// Turns one read request into one answer: authenticate, pick the service by the credential scope and the
// action by `Action` or `X-Amz-Target`, run it, and encode the result or the error in the service's protocol.

import type { AuditFacts } from "../audit/audit-log.js";
import type { ProtocolKind } from "../auth/auth-errors.js";
import { authenticate } from "../auth/authenticate.js";
import { readSignatureClaim, type SignatureClaim } from "../auth/signature-claim.js";
import { AwsServiceError, internalFailure } from "../protocol/errors.js";
import { errorAnswer, type HttpAnswer, protocolOfRequest } from "./http-answer.js";
import type { IncomingAwsRequest } from "./incoming-request.js";
import { runJsonAction, runQueryAction } from "./run-action.js";
import { runRestJsonAction } from "./run-rest-action.js";
import type { SandboxRuntime, ServiceCall } from "./runtime.js";
import type { ServiceDefinition, ServiceRegistry } from "./service-registry.js";

/** How far one request got: the protocol its errors take, and the service once the scope named one. */
interface Progress {
  protocol: ProtocolKind;
  service?: ServiceDefinition;
}

function serviceOfScope(registry: ServiceRegistry, signingName: string): ServiceDefinition {
  const service = registry.find(signingName);
  if (!service) {
    throw new AwsServiceError(
      "InvalidAction",
      `The sandbox does not serve the service '${signingName}' named in the credential scope; it serves: ${registry.signingNames().join(", ")}.`,
      400,
    );
  }
  return service;
}

/** Authenticates the request and makes the call its action sees; the caller's MFA goes to the audit line. */
async function authenticatedCall(
  request: IncomingAwsRequest,
  claim: SignatureClaim,
  protocol: ProtocolKind,
  requestId: string,
  runtime: SandboxRuntime,
  audit: AuditFacts,
): Promise<ServiceCall> {
  const now = runtime.clock();
  const caller = await authenticate({
    request,
    claim,
    protocol,
    world: runtime.world,
    state: runtime.state,
    now,
  });
  audit.principalArn = caller.arn;
  if (caller.mfaAuthenticatedAtMs !== undefined) audit.mfa = true;
  else if (caller.credential !== "long-term") audit.mfa = false;
  return {
    requestId,
    action: "",
    caller,
    region: claim.scope.region,
    now,
    sourceIp: request.sourceIp,
    runtime,
    audit,
  };
}

function failureAnswer(error: unknown, progress: Progress, requestId: string, audit: AuditFacts): HttpAnswer {
  const { protocol, service } = progress;
  const shape = service?.protocol === "query" ? service.shape : undefined;
  const dialect = service?.protocol === "query" ? service.xmlDialect : undefined;
  if (error instanceof AwsServiceError && dialect) {
    const answer = errorAnswer(error, protocol, requestId, audit, shape);
    return { ...answer, body: dialect.error(error, requestId) };
  }
  if (error instanceof AwsServiceError) return errorAnswer(error, protocol, requestId, audit, shape);
  // Never echo an unexpected error to the client (it could hold anything); say where to look instead.
  process.stderr.write(`sandbox: request ${requestId} failed: ${(error as Error)?.stack ?? String(error)}\n`);
  return errorAnswer(internalFailure(), protocol, requestId, audit, shape);
}

export async function dispatch(
  request: IncomingAwsRequest,
  requestId: string,
  registry: ServiceRegistry,
  runtime: SandboxRuntime,
): Promise<HttpAnswer> {
  const audit: AuditFacts = {};
  const progress: Progress = { protocol: protocolOfRequest(request) };
  try {
    const claim = readSignatureClaim(request, progress.protocol);
    audit.service = claim.scope.service;
    audit.accessKeyId = claim.accessKeyId;
    const service = serviceOfScope(registry, claim.scope.service);
    progress.service = service;
    // REST-JSON services report errors as JSON services do (x-amzn-ErrorType and a JSON body).
    progress.protocol = service.protocol === "query" ? "query" : "json";
    const call = await authenticatedCall(request, claim, progress.protocol, requestId, runtime, audit);
    if (service.protocol === "rest-json") return await runRestJsonAction(service, call, request);
    return service.protocol === "query"
      ? await runQueryAction(service, call, request)
      : await runJsonAction(service, call, request);
  } catch (error) {
    return failureAnswer(error, progress, requestId, audit);
  }
}
