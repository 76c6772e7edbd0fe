// Runs one MFA-protected STS call, asking again when AWS refuses the code: up to three codes in all.
// AWS (and the sandbox) answer a wrong code and a reused code alike: AccessDenied "MultiFactorAuthentication
// failed with invalid MFA one time pass code." A code we saw accepted in this process is known to be used, so
// it is explained and never sent again; any other refusal is "not accepted" with both causes in the hint.
import { TobiraError } from "../errors.js";
import { type MfaCodeSource, type MfaRequest, millisUntilNextCode } from "./request.js";
import { processUsedMfaCodes, type UsedMfaCodes } from "./used-codes.js";

export interface MfaRetryOptions {
  /** The profile holding mfa_serial, named in prompts and errors. */
  profile: string;
  /** The MFA device ARN or serial sent with the code. */
  serial: string;
  /** Codes asked for in all, the first included; 3 by default. */
  maxAttempts?: number;
  /** Epoch milliseconds; Date.now by default (tests fix it). */
  now?: () => number;
  /** Codes already accepted; this process's record by default (the core may pass one that outlives it). */
  usedCodes?: UsedMfaCodes;
}

/** How STS refused an MFA-protected call, when the refusal is about MFA. */
export type MfaFailure = "invalid-code" | "device-not-validated" | "code-missing";

export function classifyMfaFailure(error: unknown): MfaFailure | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const message = (error as { message?: unknown }).message;
  if (typeof message !== "string") return undefined;
  // "…failed with invalid MFA one time pass code." today; some older answers say "failed, invalid MFA…".
  if (/MultiFactorAuthentication failed.{0,8}invalid MFA one time pass code/i.test(message))
    return "invalid-code";
  if (/MultiFactorAuthentication failed, unable to validate MFA code/i.test(message))
    return "device-not-validated";
  if (/must provide both MFA serial number and one time pass code/i.test(message)) return "code-missing";
  return undefined;
}

/** AWS refused every code we asked for. */
export class MfaCodeRejectedError extends TobiraError {
  override name = "MfaCodeRejectedError";
}

export async function withMfaRetry<T>(
  getCode: MfaCodeSource,
  attempt: (code: string) => Promise<T>,
  options: MfaRetryOptions,
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 3;
  const now = options.now ?? Date.now;
  const usedCodes = options.usedCodes ?? processUsedMfaCodes;
  const refusedHere = new Set<string>();
  let retry: Pick<MfaRequest, "reason" | "hint" | "notBefore"> = {};
  let lastRefusal: unknown;

  for (let attemptNumber = 1; attemptNumber <= maxAttempts; attemptNumber++) {
    const request: MfaRequest = {
      profile: options.profile,
      serial: options.serial,
      attempt: attemptNumber,
      ...retry,
    };
    const code = await getCode(request);
    const askedAt = now();
    const seconds = Math.ceil(millisUntilNextCode(askedAt) / 1000);
    // A new code exists from the next step on; a second of margin for the device's clock.
    const notBefore = askedAt + millisUntilNextCode(askedAt) + 1000;

    if (usedCodes.wasUsed(options.serial, code, askedAt) || refusedHere.has(code)) {
      // Sending it would only spend one of the user's attempts at AWS on a certain refusal.
      retry = {
        reason: usedCodes.wasUsed(options.serial, code, askedAt)
          ? `this code was already used: wait for the next code (about ${seconds} s)`
          : `this is the code that was just refused: wait for the next code (about ${seconds} s)`,
        hint: "AWS accepts each code once",
        notBefore,
      };
      continue;
    }

    try {
      const result = await attempt(code);
      usedCodes.remember(options.serial, code, askedAt);
      return result;
    } catch (error) {
      if (classifyMfaFailure(error) !== "invalid-code") throw error;
      lastRefusal = error;
      refusedHere.add(code);
      retry = {
        reason: "that code was not accepted",
        hint: `a code works once: if it was just used (by another command too), wait for the next one (about ${seconds} s)`,
        notBefore,
      };
    }
  }

  throw new MfaCodeRejectedError(
    `no MFA code was accepted for ${options.serial} in ${maxAttempts} attempts`,
    {
      hint: `check that mfa_serial in profile ${options.profile} names the device the codes come from and that its clock is right`,
      cause: lastRefusal,
    },
  );
}
