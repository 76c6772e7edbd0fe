// IAM Roles Anywhere's data plane: POST /sessions, signed with the certificate's key instead of an access
// key, so it is a plain route rather than a SigV4 service. Checks, in order: the signature, the trust anchor
// and profile, the certificate path (issuers, dates, CRLs), the role in the profile and its trust policy;
// then issues role credentials.

import type { X509Certificate } from "node:crypto";
import type { AuditFacts } from "../audit/audit-log.js";
import { jsonErrorBody, jsonHeaders } from "../protocol/json.js";
import type { HttpAnswer } from "../server/http-answer.js";
import type { IncomingAwsRequest } from "../server/incoming-request.js";
import type { SandboxRuntime } from "../server/runtime.js";
import type { HttpRoute } from "../server/service-registry.js";
import { findRoleByArn } from "../services/world-lookup.js";
import type { IamRole } from "../world/model.js";
import { findProfile, findTrustAnchor } from "./catalog.js";
import { certificateTags, commonName } from "./certificate-tags.js";
import { verifyChain } from "./chain.js";
import { stableUuid } from "./ids.js";
import type { RaProfile, TrustAnchor } from "./model.js";
import {
  accessDenied,
  invalidInput,
  resourceNotFound,
  roleRefused,
  SessionRefusal,
} from "./session-errors.js";
import { issueRolesAnywhereSession } from "./session-issue.js";
import { readSessionRequest, type SessionRequest } from "./session-request.js";
import { checkTrust } from "./session-trust.js";
import { readX509Claim, type X509Claim } from "./x509-claim.js";
import { verifyX509Signature } from "./x509-verify.js";

export const SESSIONS_PATH = "/sessions";

interface Targets {
  anchor: TrustAnchor;
  profile: RaProfile;
  role: IamRole;
}

function targetsOf(runtime: SandboxRuntime, claim: X509Claim, input: SessionRequest): Targets {
  const anchor = findTrustAnchor(runtime, input.trustAnchorArn);
  const profile = findProfile(runtime, input.profileArn);
  if (!anchor || anchor.arn !== input.trustAnchorArn)
    throw resourceNotFound(`no trust anchor ${input.trustAnchorArn}`);
  if (!profile || profile.arn !== input.profileArn) throw resourceNotFound(`no profile ${input.profileArn}`);
  if (anchor.region !== claim.scope.region || profile.region !== claim.scope.region) {
    throw invalidInput("The trust anchor and profile must be in the region the request is signed for.");
  }
  if (!anchor.enabled) throw accessDenied("Trust anchor is disabled", `${anchor.arn} is disabled`);
  if (!profile.enabled) throw accessDenied("Profile is disabled", `${profile.arn} is disabled`);
  if (!profile.roleArns.includes(input.roleArn)) {
    throw roleRefused(input.roleArn, `${input.roleArn} is not a role of profile ${profile.arn}`);
  }
  const role = findRoleByArn(runtime.world, input.roleArn);
  if (!role) throw roleRefused(input.roleArn, `no role ${input.roleArn}`);
  return { anchor, profile, role };
}

function sessionNameOf(input: SessionRequest, profile: RaProfile, leaf: X509Certificate): string {
  if (input.roleSessionName === undefined) return BigInt(`0x${leaf.serialNumber}`).toString(10);
  if (!profile.acceptRoleSessionName) {
    throw invalidInput("The profile does not accept a roleSessionName (acceptRoleSessionName is false).");
  }
  return input.roleSessionName;
}

/** The session ends at the requested or the profile's duration, whichever is shorter, and never after the certificate. */
function expiryOf(input: SessionRequest, profile: RaProfile, leaf: X509Certificate, now: number): number {
  const seconds = Math.min(input.durationSeconds ?? profile.durationSeconds, profile.durationSeconds);
  return Math.min(now + seconds * 1000, Date.parse(leaf.validTo));
}

function mappedTags(leaf: X509Certificate, roleArn: string): Record<string, string> {
  const { tags, unmapped } = certificateTags(leaf);
  const list = (fields: string[]) => `[ ${fields.join(" ")} ]`;
  if (unmapped.issuer.length + unmapped.subject.length + unmapped.san.length > 0) {
    throw accessDenied(
      `Unable to assume role for ${roleArn}. Some attributes failed to be mapped into session tags. Issuer: ${list(unmapped.issuer)}; Subject: ${list(unmapped.subject)}; SAN: ${list(unmapped.san)}`,
      "certificate attributes a session tag cannot hold",
    );
  }
  return tags;
}

function createSession(request: IncomingAwsRequest, runtime: SandboxRuntime, audit: AuditFacts): unknown {
  const now = runtime.clock();
  const claim = readX509Claim(request);
  verifyX509Signature(request, claim, now);
  const input = readSessionRequest(request);
  const { anchor, profile, role } = targetsOf(runtime, claim, input);
  audit.principalArn = role.arn;
  verifyChain(runtime, anchor, claim.leaf, claim.intermediates, now);
  const tags = mappedTags(claim.leaf, role.arn);
  const sourceIdentity = commonName(claim.leaf);
  const sessionName = sessionNameOf(input, profile, claim.leaf);
  audit.reason = checkTrust({
    role,
    anchor,
    tags,
    sourceIdentity,
    sessionName,
    now,
    sourceIp: request.sourceIp,
  });
  const expiresAt = expiryOf(input, profile, claim.leaf, now);
  const session = issueRolesAnywhereSession(
    runtime,
    { role, profile, sessionName, tags, sourceIdentity, expiresAt },
    now,
  );
  audit.accessKeyId = session.accessKeyId;
  const assumedArn = `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`;
  return {
    credentialSet: [
      {
        assumedRoleUser: { arn: assumedArn, assumedRoleId: `${role.roleId}:${sessionName}` },
        credentials: {
          accessKeyId: session.accessKeyId,
          secretAccessKey: session.secretAccessKey,
          sessionToken: session.sessionToken,
          expiration: session.expiration,
        },
        packedPolicySize: 0,
        roleArn: role.arn,
        ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
      },
    ],
    subjectArn: `arn:aws:rolesanywhere:${anchor.region}:${anchor.account}:subject/${stableUuid("subject", anchor.account, claim.leaf.subject)}`,
  };
}

function answerSession(request: IncomingAwsRequest, requestId: string, runtime: SandboxRuntime): HttpAnswer {
  const audit: AuditFacts = { service: "rolesanywhere", action: "CreateSession" };
  try {
    if (request.method !== "POST") throw invalidInput("CreateSession is POST /sessions.");
    const body = JSON.stringify(createSession(request, runtime, audit));
    const headers = { "content-type": "application/json", "x-amzn-requestid": requestId };
    return { status: 201, headers, body, audit: { ...audit, decision: "Allow" } };
  } catch (error) {
    if (!(error instanceof SessionRefusal)) throw error;
    return {
      status: error.error.status,
      headers: { ...jsonHeaders(requestId, error.error), "content-type": "application/json" },
      body: jsonErrorBody(error.error),
      audit: { ...audit, decision: error.error.code, reason: error.reason },
      errorCode: error.error.code,
    };
  }
}

/** The data-plane route, registered beside the SigV4 services. */
export function createSessionRoute(): HttpRoute {
  return {
    path: SESSIONS_PATH,
    handle: async (request, requestId, runtime) => answerSession(request, requestId, runtime),
  };
}
