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

/**
 * For each call, its audit line:
 *   line 4  sts:AssumeRole → ExplicitDeny
 *       by arn:aws:iam::111111111111:user/alice, no MFA key
 *       sts:AssumeRole on …: …#DenyAllExceptListedIfNoMFA (identity)
 */
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
    const e = line.entry;
    const service = pick(e, "service");
    const action = pick(e, "action");
    const fullAction = action?.includes(":") || !service ? action : `${service}:${action}`;
    const mfa = e.mfa === true ? "with MFA" : e.mfa === false ? "MFA false" : "no MFA key";
    out.push(`  line ${line.number}  ${fullAction ?? "?"} → ${pick(e, "decision") ?? "?"}`);
    out.push(
      ...wrapText(`by ${pick(e, "principalArn") ?? "(unknown principal)"}, ${mfa}`, { indent: "      " }),
    );
    const reason = pick(e, "reason");
    if (reason) out.push(...wrapText(reason, { indent: "      " }));
  }
  return out;
}
