// Step 2 for a chain that starts from credentials obtained elsewhere (credential_process, credential_source =
// Environment or an instance's metadata, IAM Roles Anywhere): they are obtained as every credential command
// obtains them (credentials/given-credentials.ts), AWS is asked whose they are (GetCallerIdentity), and the
// plan is made again knowing whether they are a long-term key, as credentialsForProfile does. The STS steps
// then start from them. The step keeps the id `vault`, the place a stored key's check has in the report.
import { chainSpecFromProfile } from "../credentials/from-resolved-profile.js";
import { fetchGivenCredentials } from "../credentials/given-credentials.js";
import { planCredentials } from "../credentials/plan.js";
import type { AwsCredentials } from "../credentials/ports.js";
import { TobiraError } from "../errors.js";
import { maskAccessKeyId } from "../vault/access-key-shape.js";
import type { DoctorContext } from "./context.js";
import { type StepReport, step } from "./report.js";
import { knownToAws } from "./vault-step.js";

const TITLE = "source credentials";

function whence(ctx: DoctorContext): string {
  const source = ctx.resolved!.source;
  switch (source.kind) {
    case "process":
      return `credential_process of '${source.profile}'`;
    case "environment":
      return `the environment (credential_source of '${source.profile}')`;
    case "rolesanywhere":
      return `IAM Roles Anywhere (profile '${source.profile}')`;
    default:
      return `${source.kind} credentials of '${source.profile}'`;
  }
}

function fetchFix(ctx: DoctorContext, error: unknown): string {
  const source = ctx.resolved!.source;
  if (source.kind === "process")
    return `run the command by hand to see its error, and fix it until it prints Version 1 JSON: ${source.command}`;
  const hint = error instanceof TobiraError ? error.hint : undefined;
  if (source.kind === "environment")
    return hint ?? "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or change credential_source";
  return hint ?? "see the message above";
}

/** The plan once the given credentials are known: a long-term key behind MFA roles gets one MFA session. */
function replan(ctx: DoctorContext, credentials: AwsCredentials): void {
  const spec = chainSpecFromProfile(ctx.resolved!);
  if (spec.source.kind !== "given") return;
  spec.source.credentials = credentials.sessionToken === undefined ? "long-term" : "temporary";
  ctx.plan = planCredentials(spec, {
    ...(ctx.flags.durationSeconds === undefined ? {} : { durationSeconds: ctx.flags.durationSeconds }),
    ...(ctx.flags.region === undefined ? {} : { region: ctx.flags.region }),
  });
}

export async function givenStep(ctx: DoctorContext): Promise<StepReport> {
  const plan = ctx.plan!;
  if (plan.source.kind !== "given") throw new Error("givenStep answers given sources only");
  const source = ctx.resolved!.source;
  const from = whence(ctx);
  const evidence: string[] = [];
  let credentials: AwsCredentials;
  try {
    credentials = await fetchGivenCredentials(plan.source.profile, plan.source.origin, ctx.env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    evidence.push(`${from}: ${message}`);
    return step(
      "vault",
      TITLE,
      "failure",
      `the credentials of ${from} cannot be obtained: ${message}`,
      evidence,
      fetchFix(ctx, error),
    );
  }
  const kind = credentials.sessionToken === undefined ? "long-term key" : "temporary credentials";
  evidence.push(`${from} gave ${kind} ${maskAccessKeyId(credentials.accessKeyId)}`);
  if (credentials.expiration !== undefined) evidence.push(`they expire ${credentials.expiration}`);
  if (!(await knownToAws(ctx, credentials, evidence))) {
    return step(
      "vault",
      TITLE,
      "failure",
      `AWS does not accept the credentials of ${from}`,
      evidence,
      source.kind === "process"
        ? `check the key the command prints (run it by hand): ${source.command}`
        : "obtain working credentials and run doctor again",
    );
  }
  try {
    replan(ctx, credentials);
  } catch (error) {
    if (!(error instanceof TobiraError)) throw error;
    return step("vault", TITLE, "failure", error.message, evidence, error.hint ?? "see the message above");
  }
  ctx.longTerm = credentials;
  return step("vault", TITLE, "ok", `${from} works (${ctx.sourceArn})`, evidence);
}
