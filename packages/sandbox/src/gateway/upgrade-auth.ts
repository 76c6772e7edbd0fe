// Verifies a signed data-channel upgrade with the sandbox's own SigV4 authentication (service
// `ssmmessages`), as newer session-manager-plugin releases sign it (ssm-protocol.md §1.4). Unsigned upgrades
// are accepted: older clients send none and the token is the credential.

import { authenticate } from "../auth/authenticate.js";
import type { Caller } from "../auth/caller.js";
import { readSignatureClaim } from "../auth/signature-claim.js";
import { AwsServiceError } from "../protocol/errors.js";
import type { IncomingAwsRequest } from "../server/incoming-request.js";
import type { SandboxRuntime } from "../server/runtime.js";
import { isSigned } from "./upgrade-request.js";

export const GATEWAY_SIGNING_NAME = "ssmmessages";

/** The signer, undefined for an unsigned upgrade; throws AwsServiceError when a signature does not verify. */
export async function authenticateUpgrade(
  request: IncomingAwsRequest,
  runtime: SandboxRuntime,
): Promise<Caller | undefined> {
  if (!isSigned(request)) return undefined;
  const claim = readSignatureClaim(request, "json");
  if (claim.scope.service !== GATEWAY_SIGNING_NAME) {
    throw new AwsServiceError(
      "InvalidSignatureException",
      `Credential should be scoped to correct service: '${GATEWAY_SIGNING_NAME}'. Credential scope names '${claim.scope.service}'.`,
      400,
    );
  }
  return authenticate({
    request,
    claim,
    protocol: "json",
    world: runtime.world,
    state: runtime.state,
    now: runtime.clock(),
  });
}
