// Step 5e, a trial session: what only the instance can tell — its agent takes the session, decrypts the data
// key as the instance role, and starts a process as the Run As user — is learned by the cheapest harmless
// session: AWS-StartNonInteractiveCommand running `true`, ended at once.
import { TobiraError } from "../errors.js";
import { openSession } from "../sessions/ssm/open-session.js";
import { runAsUser } from "./preferences-step.js";
import { type StepReport, step } from "./report.js";
import type { TargetContext } from "./target-context.js";

const TITLE = "trial session";

function fixFor(tc: TargetContext, message: string): string {
  const user = runAsUser(tc) ?? "the Run As user";
  if (/RunAs user|Run As user/i.test(message))
    return `create ${user} on ${tc.target!.id} (sudo useradd -m ${user}), or set the role's SSMSessionRunAs tag to a user that exists there`;
  if (/decrypting data key/i.test(message))
    return `add to ${tc.instanceRoleArn ?? "the instance role"}'s policy: ${JSON.stringify({ Effect: "Allow", Action: "kms:Decrypt", Resource: tc.keyArn ?? "KEY_ARN" })}`;
  if (/GenerateDataKey/.test(message))
    return `add to ${tc.principalArn}'s policy: ${JSON.stringify({ Effect: "Allow", Action: "kms:GenerateDataKey", Resource: tc.keyArn ?? "KEY_ARN" })}`;
  if (/StartSession/.test(message)) return "see the ssm:StartSession step above";
  return "see the message above";
}

export async function trialSessionStep(tc: TargetContext): Promise<StepReport> {
  const t = tc.target!;
  const evidence = [`AWS-StartNonInteractiveCommand "true" on ${t.id}`];
  try {
    const session = await openSession(
      tc.access,
      {
        target: t.id,
        documentName: "AWS-StartNonInteractiveCommand",
        parameters: { command: ["true"] },
        reason: "tobira doctor",
      },
      {},
    );
    try {
      const info = await session.ready;
      for (const line of info.customerMessage?.split("\n") ?? []) if (line) evidence.push(`gateway: ${line}`);
      const outcome = await session.ended;
      if (outcome.failure) throw outcome.failure;
      evidence.push(`session ${session.sessionId} ended, exit status ${outcome.exitCode ?? "unknown"}`);
    } finally {
      await session.terminate();
    }
  } catch (error) {
    if (!(error instanceof TobiraError)) throw error;
    evidence.push(...error.message.split("\n"));
    return step(
      "session",
      TITLE,
      "failure",
      "the session does not start",
      evidence,
      fixFor(tc, error.message),
    );
  }
  const user = runAsUser(tc);
  return step(
    "session",
    TITLE,
    "ok",
    `a session opens and runs${user === undefined ? "" : ` as ${user}`}`,
    evidence,
  );
}
