// What a Roles Anywhere session is asked for — trust anchor, profile, role, duration — and where: the region
// (given, or the trust anchor's, as the helper does) and the endpoint (given, AWS_ENDPOINT_URL_ROLESANYWHERE,
// AWS_ENDPOINT_URL, the config profile's endpoint_url, or rolesanywhere.<region>.amazonaws.com).

import { UsageError } from "../../errors.js";
import type { KeyFiles } from "./key-material.js";

export interface SessionTarget {
  trustAnchorArn: string;
  profileArn: string;
  roleArn: string;
  /** 900–43200; absent = the profile's duration. */
  durationSeconds?: number | undefined;
  roleSessionName?: string | undefined;
  region?: string | undefined;
  endpoint?: string | undefined;
  /** The config profile's endpoint_url: used when neither --endpoint nor an AWS_ENDPOINT_URL variable says. */
  profileEndpointUrl?: string | undefined;
}

/** Everything one credential_process / serve / update run needs: the key files and the session. */
export interface RolesAnywhereSpec extends SessionTarget {
  files: KeyFiles;
}

const RA_ARN = /^arn:aws[\w-]*:rolesanywhere:([a-z0-9-]+):(\d{12}):(trust-anchor|profile)\/[0-9a-fA-F-]+$/;
const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/.+$/;

function regionOf(arn: string, kind: "trust-anchor" | "profile", flag: string): string {
  const m = RA_ARN.exec(arn);
  if (!m || m[3] !== kind) {
    throw new UsageError(`${flag} ${arn} is not a Roles Anywhere ${kind} ARN`, {
      hint: `expected arn:aws:rolesanywhere:REGION:ACCOUNT:${kind}/ID`,
    });
  }
  return m[1]!;
}

/** Checks the ARNs and the duration, and fills region and endpoint. */
export function settleTarget(
  target: SessionTarget,
  env: NodeJS.ProcessEnv,
): SessionTarget & { region: string; endpoint: string } {
  const anchorRegion = regionOf(target.trustAnchorArn, "trust-anchor", "--trust-anchor-arn");
  const profileRegion = regionOf(target.profileArn, "profile", "--profile-arn");
  if (anchorRegion !== profileRegion) {
    throw new UsageError(`the trust anchor is in ${anchorRegion} but the profile in ${profileRegion}`, {
      hint: "a trust anchor and a profile of one session are in the same region",
    });
  }
  if (!ROLE_ARN.test(target.roleArn)) {
    throw new UsageError(`--role-arn ${target.roleArn} is not an IAM role ARN`, {
      hint: "expected arn:aws:iam::ACCOUNT:role/NAME",
    });
  }
  const d = target.durationSeconds;
  if (d !== undefined && (!Number.isInteger(d) || d < 900 || d > 43200)) {
    throw new UsageError(`--session-duration ${d} is outside 900–43200 seconds`);
  }
  const region = target.region ?? anchorRegion;
  const endpoint =
    target.endpoint ??
    env.AWS_ENDPOINT_URL_ROLESANYWHERE ??
    env.AWS_ENDPOINT_URL ??
    target.profileEndpointUrl ??
    `https://rolesanywhere.${region}.amazonaws.com`;
  return { ...target, region, endpoint };
}
