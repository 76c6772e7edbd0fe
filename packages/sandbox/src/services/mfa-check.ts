// Verifies a SerialNumber + TokenCode pair the way STS does: the device must be the caller's, the code
// must match the device's TOTP within one step either way, and each code is accepted once.

import { verifyTotp } from "../mfa/totp.js";
import { AwsServiceError } from "../protocol/errors.js";
import type { ServiceCall } from "../server/runtime.js";
import { refuse } from "./authorize.js";
import { findUser } from "./world-lookup.js";

export const MFA_BOTH_REQUIRED =
  "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.";
export const MFA_NOT_ASSOCIATED =
  "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.";
export const MFA_INVALID_CODE = "MultiFactorAuthentication failed with invalid MFA one time pass code.";

function denied(call: ServiceCall, message: string, why: string): AwsServiceError {
  return refuse(call, new AwsServiceError("AccessDenied", message, 403), why);
}

/**
 * Returns true when the request carries a valid, unused code (and consumes it), false when it carries
 * none; throws AccessDenied otherwise.
 */
export function checkMfaCode(
  call: ServiceCall,
  serial: string | undefined,
  code: string | undefined,
): boolean {
  if (serial === undefined && code === undefined) return false;
  if (serial === undefined || code === undefined) {
    throw denied(call, MFA_BOTH_REQUIRED, "only one of SerialNumber and TokenCode was given");
  }
  const { caller, runtime } = call;
  // Only an IAM user (its long-term key or its GetSessionToken session) has MFA devices of its own.
  const user =
    caller.type === "User" && caller.userName
      ? findUser(runtime.world, caller.account, caller.userName)
      : undefined;
  const device = user?.mfaDevices.find((d) => d.serial === serial);
  if (!device) throw denied(call, MFA_NOT_ASSOCIATED, `MFA device ${serial} is not the caller's`);
  const step = verifyTotp(device.secret, code, call.now, 1);
  if (step === null) throw denied(call, MFA_INVALID_CODE, `wrong code for MFA device ${serial}`);
  if (!runtime.state.consumeMfaStep(serial, step)) {
    throw denied(call, MFA_INVALID_CODE, `code for MFA device ${serial} was already used (step ${step})`);
  }
  return true;
}
