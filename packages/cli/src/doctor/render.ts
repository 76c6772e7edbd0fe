// Prints a doctor report: one line per step with its status, the evidence indented under it, then the fix.
import type { DoctorReport, StepReport, StepStatus } from "./report.js";

const MARK: Record<StepStatus, string> = {
  ok: "ok",
  warning: "warning",
  failure: "FAILURE",
  unchecked: "unchecked",
};

function stepText(s: StepReport): string {
  const lines = [`[${MARK[s.status]}] ${s.title}: ${s.summary}`];
  for (const line of s.evidence) lines.push(`    ${line}`);
  if (s.fix !== undefined) {
    const [first = "", ...rest] = s.fix.split("\n");
    lines.push(`    fix: ${first}`, ...rest.map((line) => `         ${line}`));
  }
  return lines.join("\n");
}

export function reportText(report: DoctorReport): string {
  const head = `tobira doctor ${report.profile}${report.target === undefined ? "" : ` ${report.target}`}`;
  const counts = (["failure", "warning", "unchecked"] as const)
    .map((status) => [status, report.steps.filter((s) => s.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(
      ([status, n]) =>
        `${n} ${status === "failure" ? "failed" : status === "warning" ? "warning(s)" : "not checked"}`,
    );
  const tail = counts.length === 0 ? "all ok" : counts.join(", ");
  return `${head}\n${report.steps.map(stepText).join("\n")}\n${tail}\n`;
}

export function reportJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
