// What doctor reports: one entry per step, each ok / warning / failure / unchecked, with the evidence it saw and
// one concrete fix. The shape is the `--json` schema (README: "tobira doctor"), so change it only by adding.

export type StepStatus = "ok" | "warning" | "failure" | "unchecked";

export interface StepReport {
  /** Stable id: config, vault, mfa, sts:0, sts:1, …, target, agent, start-session, preferences, kms, … */
  id: string;
  title: string;
  status: StepStatus;
  /** One line: what was found. */
  summary: string;
  /** What the step saw (file:line of keys, AWS's answers, …). Never a secret. */
  evidence: string[];
  /** One concrete fix: an IAM statement, a config line, a command. Absent when nothing needs fixing. */
  fix?: string | undefined;
}

export interface DoctorReport {
  schema: "tobira.doctor/1";
  profile: string;
  target?: string | undefined;
  /** False when any step failed (warnings and unchecked steps leave it true). */
  ok: boolean;
  steps: StepReport[];
}

export function step(
  id: string,
  title: string,
  status: StepStatus,
  summary: string,
  evidence: string[] = [],
  fix?: string,
): StepReport {
  return { id, title, status, summary, evidence, ...(fix === undefined ? {} : { fix }) };
}

/** A step that could not run because an earlier one failed or a permission is missing, saying which. */
export function unchecked(id: string, title: string, why: string, evidence: string[] = []): StepReport {
  return step(id, title, "unchecked", `not checked: ${why}`, evidence);
}

export function finishReport(profile: string, target: string | undefined, steps: StepReport[]): DoctorReport {
  return {
    schema: "tobira.doctor/1",
    profile,
    ...(target === undefined ? {} : { target }),
    ok: steps.every((s) => s.status !== "failure"),
    steps,
  };
}
