// Remembers which MFA codes AWS already accepted, so a reused code is explained instead of sent again.
// AWS accepts each code once and answers a reused one exactly as a wrong one, so only we can tell them apart.
// Codes are kept as keyed hashes (the key lives only in this process) and forgotten once they cannot be valid.
import { createHmac, randomBytes } from "node:crypto";
import { TOTP_STEP_SECONDS } from "./request.js";

export interface UsedMfaCodes {
  wasUsed(serial: string, code: string, nowMs: number): boolean;
  remember(serial: string, code: string, nowMs: number): void;
}

// A code stays valid for its own step and, with the clock skew AWS allows, a step either side.
const FORGET_AFTER_MS = 3 * TOTP_STEP_SECONDS * 1000;

export function createUsedMfaCodes(): UsedMfaCodes {
  const key = randomBytes(32);
  const usedAt = new Map<string, number>();
  const fingerprint = (serial: string, code: string): string =>
    createHmac("sha256", key).update(serial).update("\0").update(code).digest("base64");
  const forgetOld = (nowMs: number): void => {
    for (const [print, at] of usedAt) if (nowMs - at > FORGET_AFTER_MS) usedAt.delete(print);
  };
  return {
    wasUsed(serial, code, nowMs) {
      forgetOld(nowMs);
      return usedAt.has(fingerprint(serial, code));
    },
    remember(serial, code, nowMs) {
      forgetOld(nowMs);
      usedAt.set(fingerprint(serial, code), nowMs);
    },
  };
}

/** The codes accepted in this process: shared by every login a command makes (several hops, a refresh). */
export const processUsedMfaCodes: UsedMfaCodes = createUsedMfaCodes();
