// Step 5d, the two KMS sides of an encrypted session. The user's side is learned by trying: GenerateDataKey
// with the session's encryption context, as tobira does when a session opens (the data key is dropped). The
// instance's side cannot be tried from here, so IAM's simulator is asked whether the instance role may
// kms:Decrypt with that context, under the key's policy.
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import { GetInstanceProfileCommand, IAMClient } from "@aws-sdk/client-iam";
import { GenerateDataKeyCommand, GetKeyPolicyCommand } from "@aws-sdk/client-kms";
import { answerLine, isAccessDenied } from "./aws-answer.js";
import { type StepReport, step, unchecked } from "./report.js";
import { clientConfig } from "./role-facts.js";
import { decisionLine, simulate } from "./simulate.js";
import type { TargetContext } from "./target-context.js";

function encryptionContext(tc: TargetContext): Record<string, string> {
  const session = tc.principalArn.split("/").pop() ?? "tobira";
  return { "aws:ssm:SessionId": `${session}-tobira-doctor`, "aws:ssm:TargetId": tc.target!.id };
}

export async function userKmsStep(tc: TargetContext): Promise<StepReport> {
  const title = "KMS (your side)";
  const keyId = tc.preferences?.kmsKeyId;
  if (tc.preferences === undefined) return unchecked("kms-user", title, "the preferences could not be read");
  if (!keyId) return step("kms-user", title, "ok", "sessions are not KMS-encrypted: nothing to check");
  const context = encryptionContext(tc);
  const evidence = [`GenerateDataKey on ${keyId} with context ${JSON.stringify(context)}`];
  try {
    const out = await tc.access.kms.send(
      new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_256", EncryptionContext: context }),
    );
    out.Plaintext?.fill(0);
    tc.keyArn = out.KeyId;
    evidence.push(`allowed: data key from ${out.KeyId}`);
    return step(
      "kms-user",
      title,
      "ok",
      `${tc.principalArn.split("/").pop()} may generate session data keys`,
      evidence,
    );
  } catch (error) {
    evidence.push(answerLine(error));
    if (!isAccessDenied(error))
      return step(
        "kms-user",
        title,
        "failure",
        "the session key cannot be used",
        evidence,
        `check the preferences' kmsKeyId (${keyId}) names an enabled key in ${tc.access.region}`,
      );
    const arn = /on resource: (arn:aws:kms:\S+)/.exec(answerLine(error))?.[1] ?? keyId;
    tc.keyArn = arn.startsWith("arn:") ? arn : undefined;
    return step(
      "kms-user",
      title,
      "failure",
      `your role lacks kms:GenerateDataKey on ${arn}`,
      evidence,
      `add to ${tc.principalArn}'s policy: ${JSON.stringify({ Effect: "Allow", Action: "kms:GenerateDataKey", Resource: arn })} (and the key policy must allow it or delegate to IAM)`,
    );
  }
}

/** The instance's role, from its instance profile (DescribeInstances, then GetInstanceProfile). */
async function instanceRole(tc: TargetContext): Promise<string | undefined> {
  if (tc.target?.kind !== "ec2") return undefined;
  const ec2 = await tc.access.ec2();
  const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [tc.target.id] }));
  const profileArn = out.Reservations?.[0]?.Instances?.[0]?.IamInstanceProfile?.Arn;
  if (!profileArn) return undefined;
  const iam = new IAMClient(
    clientConfig({ region: tc.access.region, endpoint: tc.access.endpointUrl }, tc.access.credentials),
  );
  try {
    const profile = await iam.send(
      new GetInstanceProfileCommand({ InstanceProfileName: profileArn.split("/").pop() }),
    );
    return profile.InstanceProfile?.Roles?.[0]?.Arn;
  } finally {
    iam.destroy();
  }
}

export async function instanceKmsStep(tc: TargetContext): Promise<StepReport> {
  const title = "KMS (instance side)";
  if (tc.preferences === undefined)
    return unchecked(
      "kms-instance",
      title,
      "the preferences could not be read; the trial session below shows it",
    );
  if (!tc.preferences?.kmsKeyId) return step("kms-instance", title, "ok", "sessions are not KMS-encrypted");
  if (!tc.keyArn)
    return unchecked("kms-instance", title, "the key's ARN is unknown (your side failed before naming it)");
  if (!tc.maySimulate)
    return unchecked(
      "kms-instance",
      title,
      "IAM's simulator is not allowed; the trial session below shows it",
    );
  let roleArn: string | undefined;
  let policy: string | undefined;
  try {
    roleArn = await instanceRole(tc);
    policy = (await tc.access.kms.send(new GetKeyPolicyCommand({ KeyId: tc.keyArn, PolicyName: "default" })))
      .Policy;
  } catch (error) {
    return unchecked(
      "kms-instance",
      title,
      `the instance role or the key policy cannot be read: ${answerLine(error)}`,
    );
  }
  if (!roleArn)
    return unchecked("kms-instance", title, "the target has no instance profile this profile can read");
  tc.instanceRoleArn = roleArn;
  const context: Record<string, string> = {};
  for (const [k, v] of Object.entries(encryptionContext(tc))) context[`kms:EncryptionContext:${k}`] = v;
  try {
    const [result] = await simulate(tc, {
      principalArn: roleArn,
      actions: ["kms:Decrypt"],
      resources: [tc.keyArn],
      context,
      resourcePolicy: policy,
    });
    const evidence = [`instance role ${roleArn}`, result ? decisionLine(result) : "no answer"];
    if (result?.EvalDecision === "allowed")
      return step(
        "kms-instance",
        title,
        "ok",
        `${roleArn.split("/").pop()} may decrypt session data keys`,
        evidence,
      );
    return step(
      "kms-instance",
      title,
      "failure",
      `the instance role lacks kms:Decrypt on ${tc.keyArn} (the agent will fail "Error when decrypting data key")`,
      evidence,
      `add to ${roleArn}'s policy: ${JSON.stringify({ Effect: "Allow", Action: "kms:Decrypt", Resource: tc.keyArn })} (the key policy must allow it or delegate to IAM)`,
    );
  } catch (error) {
    return unchecked("kms-instance", title, `IAM's simulator refused: ${answerLine(error)}`);
  }
}
