// The activation's IAM service role, as SSM uses it: it must exist and trust ssm.amazonaws.com, and a node's
// token request gets a session of it named after the node, so the node acts as
// `arn:aws:sts::A:assumed-role/ROLE/mi-…` with every service (the session is an ordinary issued session).

import { newAccessKeyId, newSecretAccessKey, newSessionToken } from "../../auth/key-issuer.js";
import { evaluatePolicies } from "../../policy/index.js";
import type { SandboxRuntime } from "../../server/runtime.js";
import type { IssuedSession } from "../../state/sandbox-state.js";
import type { IamRole } from "../../world/model.js";

export const SSM_SERVICE_PRINCIPAL = "ssm.amazonaws.com";
/** Hybrid role tokens last an hour; the agent refreshes them at half-life, about every 30 minutes. */
export const NODE_TOKEN_SECONDS = 3600;

export function findServiceRole(runtime: SandboxRuntime, account: string, name: string): IamRole | undefined {
  return runtime.world.roles.find((r) => r.account === account && r.name === name);
}

/** Whether the role's trust policy lets SSM assume it (what CreateActivation's role must allow). */
export function trustsSsm(role: IamRole, now: number): boolean {
  const result = evaluatePolicies({
    request: {
      action: "sts:AssumeRole",
      resource: role.arn,
      resourceAccount: role.account,
      // A service principal is no account's caller: give it the role's account so only the trust policy decides.
      principal: {
        arn: SSM_SERVICE_PRINCIPAL,
        account: role.account,
        matchArns: [SSM_SERVICE_PRINCIPAL],
        services: [SSM_SERVICE_PRINCIPAL],
      },
      context: { "aws:CurrentTime": new Date(now).toISOString(), "aws:PrincipalIsAWSService": "true" },
    },
    identityPolicies: [],
    resourcePolicy: { name: `${role.arn}#trust`, document: role.trust },
    combine: "resource-gates",
  });
  return result.decision === "Allow";
}

/** Issues and stores the node's role session. */
export function issueNodeSession(
  runtime: SandboxRuntime,
  role: IamRole,
  nodeId: string,
  now: number,
): IssuedSession {
  const session: IssuedSession = {
    accessKeyId: newAccessKeyId("temporary"),
    secretAccessKey: newSecretAccessKey(),
    sessionToken: newSessionToken(),
    kind: "assumed-role",
    account: role.account,
    issuedAt: new Date(now).toISOString(),
    expiration: new Date(now + NODE_TOKEN_SECONDS * 1000).toISOString(),
    roleArn: role.arn,
    sessionName: nodeId,
    tags: { ...role.tags },
    transitiveTagKeys: [],
    roleChain: false,
  };
  runtime.state.addSession(session);
  return session;
}
