// Appends one JSON line per API call to audit.jsonl, as CloudTrail would record it. Never a secret or token.

import { appendFileSync } from "node:fs";
import { join } from "node:path";

export const AUDIT_FILE = "audit.jsonl";

/** Allow / ExplicitDeny / ImplicitDeny from the policy engine, or the error code that stopped the call. */
export type AuditDecision = "Allow" | "ExplicitDeny" | "ImplicitDeny" | string;

export interface AuditEntry {
  time: string;
  requestId: string;
  /** Signing name from the credential scope ("sts", "iam", …); absent when the request had none. */
  service?: string | undefined;
  action?: string | undefined;
  principalArn?: string | undefined;
  accessKeyId?: string | undefined;
  /** Whether the caller carried MFA; absent for long-term keys (as aws:MultiFactorAuthPresent is). */
  mfa?: boolean | undefined;
  decision: AuditDecision;
  /** The statement that decided ("policy-name#Sid"), or why the call was refused or needed no policy. */
  reason?: string | undefined;
  /** AWS error code when the call failed. */
  errorCode?: string | undefined;
  status: number;
  sourceIp?: string | undefined;
}

/** What a request collects while it runs; the server completes and writes it once the response is sent. */
export interface AuditFacts {
  service?: string | undefined;
  action?: string | undefined;
  principalArn?: string | undefined;
  accessKeyId?: string | undefined;
  mfa?: boolean | undefined;
  decision?: AuditDecision | undefined;
  reason?: string | undefined;
}

export class AuditLog {
  readonly path: string;
  constructor(stateDir: string) {
    this.path = join(stateDir, AUDIT_FILE);
  }

  append(entry: AuditEntry): void {
    // Key order is fixed so lines read alike; undefined fields drop out of JSON.stringify.
    const line: AuditEntry = {
      time: entry.time,
      requestId: entry.requestId,
      service: entry.service,
      action: entry.action,
      principalArn: entry.principalArn,
      accessKeyId: entry.accessKeyId,
      mfa: entry.mfa,
      decision: entry.decision,
      reason: entry.reason,
      errorCode: entry.errorCode,
      status: entry.status,
      sourceIp: entry.sourceIp,
    };
    appendFileSync(this.path, `${JSON.stringify(line)}\n`, { mode: 0o600 });
  }
}
