// Step 2, vault: the long-term key that starts the chain is in the vault (or, with a warning, in a credentials
// file), it can be read, AWS knows it (GetCallerIdentity, the cheapest signed call), and it is not older than
// the rotation age the user set (--max-key-age, or tobira_max_key_age in the source profile, in days).
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentials } from "../credentials/ports.js";
import { TobiraError } from "../errors.js";
import { maskAccessKeyId } from "../vault/access-key-shape.js";
import { answerLine } from "./aws-answer.js";
import { type DoctorContext, doctorRegion } from "./context.js";
import { type StepReport, step, unchecked } from "./report.js";
import { watchServerClock } from "./server-clock.js";

const TITLE = "vault";
const DAY_MS = 86_400_000;

function maxAgeDays(ctx: DoctorContext, profile: string): number | undefined {
  if (ctx.flags.maxKeyAgeDays !== undefined) return ctx.flags.maxKeyAgeDays;
  const raw = ctx.files?.profiles.get(profile)?.config?.keys.get("tobira_max_key_age")?.value;
  const days = raw === undefined ? Number.NaN : Number.parseInt(raw.replace(/d$/i, ""), 10);
  return Number.isNaN(days) ? undefined : days;
}

interface FoundKey {
  accessKeyId: string;
  secretAccessKey: string;
  addedAt?: string | undefined;
  where: string;
  inClear: boolean;
}

async function findKey(ctx: DoctorContext, profile: string): Promise<FoundKey | undefined> {
  const { openVault } = await import("../vault/index.js");
  const vault = await openVault({
    env: ctx.env,
    stderr: { write: (text: string) => process.stderr.write(text) },
  });
  const stored = await vault.keys.get(profile);
  if (stored) return { ...stored, where: `${vault.backend} vault ${vault.location}`, inClear: false };
  const source = ctx.resolved?.source;
  const fromFile = source?.kind === "static" ? source.fromFile : undefined;
  if (!fromFile) return undefined;
  return { ...fromFile, where: `${fromFile.file} [${fromFile.section}] (in clear)`, inClear: true };
}

/**
 * The source credentials shown to AWS: GetCallerIdentity's ARN becomes the chain's source and a line of
 * evidence; on a refusal its answer is the evidence, and false leaves the verdict to the caller.
 */
export async function knownToAws(
  ctx: DoctorContext,
  credentials: AwsCredentials,
  evidence: string[],
): Promise<boolean> {
  try {
    const arn = await callerArn(ctx, credentials);
    ctx.sourceArn = arn;
    evidence.push(`GetCallerIdentity: ${arn}`);
    return true;
  } catch (error) {
    evidence.push(`GetCallerIdentity: ${answerLine(error)}`);
    return false;
  }
}

/** GetCallerIdentity with the chain's first credentials; the Date header it answers with gives the skew. */
export async function callerArn(ctx: DoctorContext, key: AwsCredentials): Promise<string> {
  const endpoint = ctx.plan?.endpointUrl;
  const sts = new STSClient({
    region: doctorRegion(ctx),
    ...(endpoint === undefined ? {} : { endpoint }),
    credentials: {
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      ...(key.sessionToken === undefined ? {} : { sessionToken: key.sessionToken }),
    },
    maxAttempts: 1,
  });
  watchServerClock(sts, (skew) => {
    ctx.skewMs = skew;
  });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? "";
  } finally {
    sts.destroy();
  }
}

function ageFinding(key: FoundKey, maxDays: number | undefined): { line: string; old: boolean } {
  if (key.addedAt === undefined) return { line: "age unknown (the key is not in the vault)", old: false };
  const days = Math.floor((Date.now() - Date.parse(key.addedAt)) / DAY_MS);
  const limit =
    maxDays === undefined
      ? "no rotation age set (--max-key-age DAYS or tobira_max_key_age = DAYS in the profile)"
      : `rotation age ${maxDays} days`;
  return {
    line: `stored ${key.addedAt}, ${days} days ago; ${limit}`,
    old: maxDays !== undefined && days > maxDays,
  };
}

export async function vaultStep(ctx: DoctorContext): Promise<StepReport> {
  const source = ctx.resolved?.source;
  if (!source) return unchecked("vault", TITLE, "the config step failed");
  if (!ctx.plan) return unchecked("vault", TITLE, "it waits on the config step, which failed");
  if (source.kind !== "static")
    return unchecked("vault", TITLE, `the chain starts from ${source.kind} credentials, not a stored key`);
  const profile = source.profile;
  let key: FoundKey | undefined;
  try {
    key = await findKey(ctx, profile);
  } catch (error) {
    if (!(error instanceof TobiraError)) throw error;
    return step(
      "vault",
      TITLE,
      "failure",
      `the vault cannot be read: ${error.message}`,
      [],
      error.hint ?? "tobira vault status",
    );
  }
  if (!key)
    return step(
      "vault",
      TITLE,
      "failure",
      `no key for profile '${profile}' in the vault`,
      [],
      `tobira add ${profile}`,
    );
  const evidence = [`access key ${maskAccessKeyId(key.accessKeyId)} in the ${key.where}`];
  if (!(await knownToAws(ctx, key, evidence))) {
    return step(
      "vault",
      TITLE,
      "failure",
      "AWS does not accept the stored key",
      evidence,
      `tobira add ${profile} --force (with a working key from IAM)`,
    );
  }
  ctx.longTerm = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
  const age = ageFinding(key, maxAgeDays(ctx, profile));
  evidence.push(age.line);
  if (age.old)
    return step(
      "vault",
      TITLE,
      "warning",
      "the key is older than the rotation age",
      evidence,
      `tobira rotate ${profile}`,
    );
  if (key.inClear)
    return step(
      "vault",
      TITLE,
      "warning",
      "the key is in a credentials file, not the vault",
      evidence,
      `tobira add ${profile}`,
    );
  return step("vault", TITLE, "ok", `key of '${profile}' works (${ctx.sourceArn})`, evidence);
}
