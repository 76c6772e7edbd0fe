// Step 3, MFA: the device the chain names is registered to the IAM user (ListMFADevices, which MFA-enforcing
// policies allow before MFA), the code source gives a code (terminal, ykman or a command — the code is kept for
// the STS step, so the run costs one code), and the local clock agrees with the endpoint's Date header.
import { IAMClient, ListMFADevicesCommand } from "@aws-sdk/client-iam";
import { mfaSettingsFor } from "../credentials/from-resolved-profile.js";
import { mfaRunnerFor } from "../credentials/mfa-runner.js";
import { TobiraError } from "../errors.js";
import { chooseMfaDriver } from "../mfa/resolve.js";
import { answerLine, isAccessDenied } from "./aws-answer.js";
import { type DoctorContext, doctorRegion } from "./context.js";
import { type StepReport, step, unchecked } from "./report.js";
import { clientConfig } from "./role-facts.js";

const TITLE = "MFA";
/** SigV4 refuses requests signed more than 5 minutes off AWS's clock. */
const SIGNING_SKEW_MS = 5 * 60_000;
/** A TOTP code lasts one 30-second step; AWS also takes the step before and after. */
const CODE_SKEW_MS = 30_000;

export function chainSerial(ctx: DoctorContext): { serial: string; profile: string } | undefined {
  const withCode = ctx.plan?.steps.find((s) => s.serial !== undefined);
  return withCode?.serial === undefined ? undefined : { serial: withCode.serial, profile: withCode.profile };
}

function userName(arn: string | undefined): string | undefined {
  return arn === undefined ? undefined : /:user\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
}

async function listDevices(ctx: DoctorContext): Promise<string[]> {
  const place = { region: doctorRegion(ctx), endpoint: ctx.plan?.endpointUrl };
  const iam = new IAMClient(clientConfig(place, ctx.longTerm!));
  try {
    const out = await iam.send(new ListMFADevicesCommand({}));
    return (out.MFADevices ?? []).map((d) => d.SerialNumber ?? "");
  } finally {
    iam.destroy();
  }
}

function skewLine(ctx: DoctorContext): { line: string; status: "ok" | "warning" | "failure" } {
  if (ctx.skewMs === undefined)
    return { line: "clock skew: not checked (no Date header seen)", status: "ok" };
  // A Date header has whole seconds: within two seconds is as close as it can tell.
  if (Math.abs(ctx.skewMs) < 2000)
    return { line: "clock skew: none (within the Date header's 1 s)", status: "ok" };
  const seconds = Math.round(ctx.skewMs / 1000);
  const line = `clock skew: the endpoint's clock is ${seconds} s ${seconds >= 0 ? "ahead of" : "behind"} this machine's`;
  const abs = Math.abs(ctx.skewMs);
  return { line, status: abs > SIGNING_SKEW_MS ? "failure" : abs > CODE_SKEW_MS ? "warning" : "ok" };
}

const CLOCK_FIX = "set the clock from the network: sudo timedatectl set-ntp true (or chronyc makestep)";

function registerFix(user: string, serial: string): string {
  const name = serial.slice(serial.lastIndexOf("/") + 1);
  return (
    `register a virtual MFA device for ${user}: aws iam create-virtual-mfa-device --virtual-mfa-device-name ${name} ` +
    `--outfile qr.png --bootstrap-method QRCodePNG, then aws iam enable-mfa-device --user-name ${user} ` +
    `--serial-number ${serial} --authentication-code1 CODE1 --authentication-code2 CODE2`
  );
}

async function deviceCheck(
  ctx: DoctorContext,
  serial: string,
  evidence: string[],
): Promise<StepReport | undefined> {
  const user = userName(ctx.sourceArn) ?? "the user";
  try {
    const devices = await listDevices(ctx);
    evidence.push(`ListMFADevices: ${devices.length === 0 ? "no device" : devices.join(", ")}`);
    if (devices.includes(serial)) return undefined;
    if (devices.length === 0)
      return step(
        "mfa",
        TITLE,
        "failure",
        `${user} has no MFA device registered`,
        evidence,
        registerFix(user, serial),
      );
    const setting = ctx.files?.profiles.get(chainSerial(ctx)?.profile ?? "")?.config?.keys.get("mfa_serial");
    const where = setting ? ` in ${setting.origin.file} line ${setting.origin.line}` : "";
    return step(
      "mfa",
      TITLE,
      "failure",
      `${serial} is not ${user}'s device`,
      evidence,
      `change mfa_serial${where} to: mfa_serial = ${devices[0]}`,
    );
  } catch (error) {
    evidence.push(`ListMFADevices: ${answerLine(error)}`);
    if (!isAccessDenied(error)) throw error;
    evidence.push("device not checked: the user may not call iam:ListMFADevices");
    return undefined;
  }
}

export async function mfaStep(ctx: DoctorContext): Promise<StepReport> {
  const named = chainSerial(ctx);
  if (!ctx.resolved || !ctx.files) return unchecked("mfa", TITLE, "the config step failed");
  if (!named) {
    const skew = skewLine(ctx);
    if (skew.status !== "ok") return step("mfa", TITLE, skew.status, skew.line, [skew.line], CLOCK_FIX);
    return step("mfa", TITLE, "ok", "the chain sends no MFA code (no mfa_serial)", [skew.line]);
  }
  if (!ctx.longTerm) return unchecked("mfa", TITLE, "no working long-term key (vault step)");
  const evidence = [`device ${named.serial} (named by profile '${named.profile}')`];
  const device = await deviceCheck(ctx, named.serial, evidence);
  if (device) return device;
  const choice = chooseMfaDriver({ profileSettings: mfaSettingsFor(ctx.files, ctx.resolved), env: ctx.env });
  const from = ctx.flags.mfaCode === undefined ? `${choice.name} (chosen by ${choice.from})` : "--mfa-code";
  try {
    const { mfaCode, mfaPrompt } = ctx.flags;
    const flags = {
      ...(mfaCode === undefined ? {} : { mfaCode }),
      ...(mfaPrompt === undefined ? {} : { mfaPrompt }),
    };
    const run = await mfaRunnerFor(ctx.files, ctx.resolved, flags, ctx.env);
    ctx.mfaCode = await run({ profile: named.profile, serial: named.serial }, async (code) => code);
    evidence.push(`code source ${from}: gave a 6-digit code`);
  } catch (error) {
    if (!(error instanceof TobiraError)) throw error;
    evidence.push(`code source ${from}: ${error.message}`);
    return step(
      "mfa",
      TITLE,
      "failure",
      "the MFA code source gives no code",
      evidence,
      error.hint ?? "check tobira_mfa_process / --mfa-prompt",
    );
  }
  const skew = skewLine(ctx);
  evidence.push(skew.line);
  if (skew.status !== "ok") return step("mfa", TITLE, skew.status, skew.line, evidence, CLOCK_FIX);
  return step("mfa", TITLE, "ok", `device ${named.serial} registered, code source ${from} works`, evidence);
}
