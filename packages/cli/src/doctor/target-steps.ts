// Step 5, with a TARGET: the target resolves, its agent is online, StartSession is allowed, the preferences,
// both KMS sides, and a trial session. Runs with the profile's final credentials (from the STS steps).
import { accessFromCredentials } from "../sessions/ssm/profile-access.js";
import { type DoctorContext, doctorRegion, finalHop } from "./context.js";
import { instanceKmsStep, userKmsStep } from "./kms-step.js";
import { preferencesStep } from "./preferences-step.js";
import { type StepReport, unchecked } from "./report.js";
import { startSessionStep } from "./start-session-step.js";
import type { TargetContext } from "./target-context.js";
import { agentStep, targetStep } from "./target-step.js";
import { trialSessionStep } from "./trial-session-step.js";

function principalOf(ctx: DoctorContext): string | undefined {
  const hop = finalHop(ctx);
  return hop?.roleArn ?? ctx.sourceArn;
}

/** The steps after the target's, in order: listed unchecked when an earlier step leaves them nothing to check. */
const AFTER_TARGET: [id: string, title: string][] = [
  ["agent", "agent"],
  ["start-session", "ssm:StartSession"],
  ["preferences", "Session Manager preferences"],
  ["kms-user", "KMS (your side)"],
  ["kms-instance", "KMS (instance side)"],
  ["session", "trial session"],
];

function uncheckedAfterTarget(why: string): StepReport[] {
  return AFTER_TARGET.map(([id, title]) => unchecked(id, title, why));
}

export async function targetSteps(ctx: DoctorContext, text: string): Promise<StepReport[]> {
  const hop = finalHop(ctx);
  const principalArn = principalOf(ctx);
  if (!hop || !principalArn) {
    const why = "the profile's credentials could not be made (see above)";
    return [
      unchecked("target", "target", why),
      ...uncheckedAfterTarget(`it waits on the target step; ${why}`),
    ];
  }
  const access = accessFromCredentials(
    ctx.profile,
    hop.credentials,
    doctorRegion(ctx),
    ctx.plan?.endpointUrl,
  );
  const tc: TargetContext = {
    access,
    principalArn,
    account: /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(principalArn)?.[1],
    maySimulate: true,
    role: hop.role,
    mfa: hop.mfa,
  };
  try {
    const steps = [await targetStep(tc, text, ctx.profile)];
    if (!tc.target)
      return [...steps, ...uncheckedAfterTarget("it waits on the target step, which found no single target")];
    const agent = agentStep(tc, ctx.profile);
    steps.push(agent);
    steps.push(await startSessionStep(tc, ctx.profile));
    steps.push(await preferencesStep(ctx, tc));
    steps.push(await userKmsStep(tc));
    steps.push(await instanceKmsStep(tc));
    // The trial would only repeat a failure already named above; it tells something new when all else is fine.
    const failed = steps.find((s) => s.status === "failure");
    steps.push(
      failed === undefined
        ? await trialSessionStep(tc)
        : unchecked("session", "trial session", `the ${failed.title} step fails already`),
    );
    return steps;
  } finally {
    access.close();
  }
}
