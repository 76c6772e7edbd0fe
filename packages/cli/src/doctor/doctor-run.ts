// `tobira doctor PROFILE [TARGET]`: runs the steps in order — config, vault (for an IAM Identity Center
// profile, its token instead; for credentials obtained elsewhere, obtaining them), MFA, each STS hop (the first, for SSO, GetRoleCredentials), then with a
// TARGET the session path — going on past a failure wherever a later step can still be checked, and prints
// the report (text, or the JSON schema of report.ts). Exit 0 unless a step failed.
import { configStep } from "./config-step.js";
import type { DoctorContext, DoctorFlags } from "./context.js";
import { givenStep } from "./given-step.js";
import { mfaStep } from "./mfa-step.js";
import { reportJson, reportText } from "./render.js";
import { finishReport, type StepReport } from "./report.js";
import { ssoTokenStep } from "./sso-steps.js";
import { stsHopSteps } from "./sts-hop-step.js";
import { vaultStep } from "./vault-step.js";

export interface DoctorOptions extends DoctorFlags {
  profile: string;
  target?: string | undefined;
  json: boolean;
  env?: NodeJS.ProcessEnv | undefined;
}

export async function credentialSteps(ctx: DoctorContext): Promise<StepReport[]> {
  const steps = [await configStep(ctx)];
  const source = ctx.plan?.source.kind;
  steps.push(
    source === "sso"
      ? await ssoTokenStep(ctx)
      : source === "given"
        ? await givenStep(ctx)
        : await vaultStep(ctx),
  );
  steps.push(await mfaStep(ctx));
  steps.push(...(await stsHopSteps(ctx)));
  return steps;
}

export async function runDoctor(options: DoctorOptions): Promise<number> {
  const { profile, target, json, env, ...flags } = options;
  const ctx: DoctorContext = { profile, env: env ?? process.env, flags, hops: [] };
  const steps = await credentialSteps(ctx);
  if (target !== undefined) {
    const { targetSteps } = await import("./target-steps.js");
    steps.push(...(await targetSteps(ctx, target)));
  }
  const report = finishReport(profile, target, steps);
  process.stdout.write(json ? reportJson(report) : reportText(report));
  return report.ok ? 0 : 1;
}
