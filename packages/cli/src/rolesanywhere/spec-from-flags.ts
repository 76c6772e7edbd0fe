// The command line's flags as a RolesAnywhereSpec: every one of certificate, key and the three ARNs is needed.

import { UsageError } from "../errors.js";
import type { IdentityFlags } from "./identity-flags.js";
import type { RolesAnywhereSpec } from "./session-target.js";

const REQUIRED = [
  ["certificate", "--certificate"],
  ["privateKey", "--private-key"],
  ["trustAnchorArn", "--trust-anchor-arn"],
  ["profileArn", "--profile-arn"],
  ["roleArn", "--role-arn"],
] as const;

function duration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new UsageError(`--session-duration ${value} is not a whole number of seconds`);
  return Number(value);
}

export function specFromFlags(flags: IdentityFlags): RolesAnywhereSpec {
  const missing = REQUIRED.filter(([key]) => !flags[key]).map(([, flag]) => flag);
  if (missing.length > 0) {
    throw new UsageError(`missing ${missing.join(", ")}`, {
      hint: "give the certificate, its key and the trust anchor, profile and role ARNs, or --profile NAME",
    });
  }
  return {
    files: {
      certificate: flags.certificate!,
      privateKey: flags.privateKey!,
      intermediates: flags.intermediates,
    },
    trustAnchorArn: flags.trustAnchorArn!,
    profileArn: flags.profileArn!,
    roleArn: flags.roleArn!,
    durationSeconds: duration(flags.sessionDuration),
    roleSessionName: flags.roleSessionName,
    region: flags.region,
    endpoint: flags.endpoint,
  };
}
