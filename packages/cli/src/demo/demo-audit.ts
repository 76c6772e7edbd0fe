// Finds the audit-log lines that decided the demo's calls, by request id, and renders them for the narration.
import { readFileSync } from "node:fs";
import { wrapText } from "../output/wrap.js";
import type { DemoCall } from "./demo-context.js";

export interface AuditLine {
  /** 1-based line number in audit.jsonl. */
  number: number;
  entry: Record<string, unknown>;
}

/** Every line of the audit log that parses as a JSON object, with its line number. */
export function readAuditLog(path: string): AuditLine[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  const lines: AuditLine[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    try {
      const entry = JSON.parse(line) as unknown;
      if (entry && typeof entry === "object")
        lines.push({ number: index + 1, entry: entry as Record<string, unknown> });
    } catch {
      // A torn last line (the sandbox still writing) is skipped, not fatal to the narration.
    }
  });
  return lines;
}

/** The first value among `keys` that is a non-empty string or a boolean, as text. */
function pick(entry: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = entry[key];
    if (typeof value === "string" && value !== "") return value;
    if (typeof value === "boolean" || typeof value === "number") return String(value);
  }
  return undefined;
}

export function requestIdOf(entry: Record<string, unknown>): string | undefined {
  return pick(entry, "requestId", "request_id", "RequestId");
}

/** For each call, its audit line (as `renderAuditLine` shows it), or a line saying none was found. */
export function describeAuditLines(calls: readonly DemoCall[], lines: readonly AuditLine[]): string[] {
  const out: string[] = [];
  for (const call of calls) {
    const line = call.requestId ? lines.find((l) => requestIdOf(l.entry) === call.requestId) : undefined;
    if (!line) {
      out.push(
        ...wrapText(`${call.label}: no audit line has request id ${call.requestId ?? "(none)"}`, {
          indent: "  ",
        }),
      );
      continue;
    }
    out.push(...renderAuditLine(line));
  }
  return out;
}

/**
 * One audit line for the narration:
 *   line 4  sts:AssumeRole → ExplicitDeny
 *       by arn:aws:iam::111111111111:user/alice, no MFA key
 *       sts:AssumeRole on …: …#DenyAllExceptListedIfNoMFA (identity)
 */
export function renderAuditLine(
  line: AuditLine,
  options: { reason?: boolean; indent?: string } = {},
): string[] {
  const indent = options.indent ?? "  ";
  const detail = `${indent}    `;
  const e = line.entry;
  const service = pick(e, "service");
  const action = pick(e, "action");
  const fullAction = action?.includes(":") || !service ? action : `${service}:${action}`;
  const mfa = e.mfa === true ? "with MFA" : e.mfa === false ? "MFA false" : "no MFA key";
  const key = pick(e, "accessKeyId");
  const out = [`${indent}line ${line.number}  ${fullAction ?? "?"} → ${pick(e, "decision") ?? "?"}`];
  out.push(
    ...wrapText(
      `by ${pick(e, "principalArn") ?? "(unknown principal)"}${key ? ` (${key.slice(0, 4)}… key)` : ""}, ${mfa}`,
      { indent: detail },
    ),
  );
  const reason = pick(e, "reason");
  if (reason && options.reason !== false) out.push(...wrapText(reason, { indent: detail }));
  return out;
}

/** True for a call that sent an MFA code: made with a long-term (AKIA…) key and carrying MFA. A call made with
 *  an MFA session's temporary (ASIA…) key carries MFA too, but costs no code. */
export function sentMfaCode(line: AuditLine): boolean {
  return line.entry.mfa === true && (pick(line.entry, "accessKeyId") ?? "").startsWith("AKIA");
}
