// The role's trust policy decides, with the sandbox's own policy engine: the principal is the service
// rolesanywhere.amazonaws.com, and it needs sts:AssumeRole, sts:TagSession (the certificate's tags) and
// sts:SetSourceIdentity (the subject CN), with the certificate's attributes and the trust anchor in the
// request context.

import { evaluatePolicies } from "../policy/index.js";
import type { RequestContextValues } from "../policy/types.js";
import { awsTime } from "../services/request-context.js";
import type { IamRole } from "../world/model.js";
import type { TrustAnchor } from "./model.js";
import { roleRefused } from "./session-errors.js";

export const SERVICE_PRINCIPAL = "rolesanywhere.amazonaws.com";

export interface TrustQuestion {
  role: IamRole;
  anchor: TrustAnchor;
  tags: Record<string, string>;
  sourceIdentity?: string | undefined;
  sessionName: string;
  now: number;
  sourceIp: string;
}

export function trustContext(q: TrustQuestion): RequestContextValues {
  const context: RequestContextValues = {
    "aws:CurrentTime": awsTime(q.now),
    "aws:EpochTime": String(Math.floor(q.now / 1000)),
    "aws:SourceIp": q.sourceIp,
    "aws:SecureTransport": "false",
    "aws:RequestedRegion": q.anchor.region,
    "aws:PrincipalIsAWSService": "true",
    "aws:PrincipalServiceName": SERVICE_PRINCIPAL,
    "aws:SourceArn": q.anchor.arn,
    "aws:SourceAccount": q.anchor.account,
    "sts:RoleSessionName": q.sessionName,
  };
  for (const [key, value] of Object.entries(q.tags)) {
    context[`aws:PrincipalTag/${key}`] = value;
    context[`aws:RequestTag/${key}`] = value;
  }
  if (Object.keys(q.tags).length > 0) context["aws:TagKeys"] = Object.keys(q.tags);
  if (q.sourceIdentity !== undefined) context["sts:SourceIdentity"] = q.sourceIdentity;
  return context;
}

/** The actions the service performs on the role for this session. */
function actionsFor(q: TrustQuestion): string[] {
  const actions = ["sts:AssumeRole"];
  if (Object.keys(q.tags).length > 0) actions.push("sts:TagSession");
  if (q.sourceIdentity !== undefined) actions.push("sts:SetSourceIdentity");
  return actions;
}

/** Throws "Unable to assume role for <role>" unless the trust policy allows every action. */
export function checkTrust(q: TrustQuestion): string {
  const context = trustContext(q);
  const decided: string[] = [];
  for (const action of actionsFor(q)) {
    const result = evaluatePolicies({
      request: {
        action,
        resource: q.role.arn,
        resourceAccount: q.role.account,
        // The service acts in the role's account: a statement naming only the account root delegates to IAM
        // policies, which a service principal has none of, so only a statement naming the service grants.
        principal: {
          arn: SERVICE_PRINCIPAL,
          account: q.role.account,
          matchArns: [],
          services: [SERVICE_PRINCIPAL],
        },
        context,
      },
      identityPolicies: [],
      resourcePolicy: { name: `${q.role.arn} trust policy`, document: q.role.trust },
      combine: "resource-gates",
    });
    if (result.decision !== "Allow") {
      throw roleRefused(q.role.arn, `${action} on ${q.role.arn}: ${result.decision} (${result.reason})`);
    }
    decided.push(`${action}: ${result.decidedBy?.policy}#${result.decidedBy?.statement}`);
  }
  return decided.join("; ");
}
