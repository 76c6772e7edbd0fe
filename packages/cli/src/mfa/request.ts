// What every MFA driver is asked and answers: the request for one code, the driver shape, the code format.

/** One request for an MFA code. */
export interface MfaRequest {
  /** The profile whose mfa_serial this is, so the user knows which login is asking. */
  profile: string;
  /** The MFA device ARN (or hardware serial) that AWS will check the code against. */
  serial: string;
  /** Why we ask again ("that code was not accepted"), shown before the prompt on a retry. */
  reason?: string;
  /** 1 for the first code of a login, 2 and 3 for retries after AWS refused one. */
  attempt: number;
  /** A line of advice shown with the reason ("check the clock of the device that makes the codes"). */
  hint?: string;
  /**
   * Epoch milliseconds before which no new code exists (the previous one was already used). Drivers that
   * produce codes themselves (ykman, a command) wait until then; a person reads the reason and waits.
   */
  notBefore?: number;
}

/** A way to get an MFA code: one module per driver, one line per driver in drivers.ts. */
export interface MfaDriver {
  readonly name: string;
  getCode(request: MfaRequest): Promise<string>;
}

/** Where MFA codes come from for one command run: the precedence of resolve.ts folded into one function. */
export type MfaCodeSource = (request: MfaRequest) => Promise<string>;

/** AWS TOTP codes (virtual devices, YubiKey OATH) are six digits; STS rejects anything else. */
export const MFA_CODE_PATTERN = /^\d{6}$/;

export function isMfaCode(text: string): boolean {
  return MFA_CODE_PATTERN.test(text);
}

/** TOTP step length in seconds (RFC 6238 as AWS uses it): a new code every 30 seconds. */
export const TOTP_STEP_SECONDS = 30;

/** Milliseconds until the next TOTP step begins, that is until a code different from the current one exists. */
export function millisUntilNextCode(nowMs: number): number {
  const stepMs = TOTP_STEP_SECONDS * 1000;
  return stepMs - (nowMs % stepMs);
}

/** Says why we ask again and what to do, on the terminal, before asking. */
export function describeRetry(request: MfaRequest): string {
  if (!request.reason) return "";
  return request.hint ? `${request.reason}\n  ${request.hint}\n` : `${request.reason}\n`;
}
