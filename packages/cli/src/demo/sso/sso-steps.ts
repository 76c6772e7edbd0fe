// The Identity Center demo's steps: dave signs in once with the device flow, then the permission set's role
// reaches every output, a Session Manager command and a chained role, and a denied request says so.
import { readFileSync, statSync } from "node:fs";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { DemoContext } from "../demo-context.js";
import type { DemoStep } from "../demo-step.js";
import { runCli, showCli, startCli } from "../onprem/onprem-cli.js";

interface DoctorStep {
  id: string;
  status: string;
  summary: string;
  fix?: string;
}

export const SESSION_PROFILE = "sso-SessionOperator-222222222222";
const CACHE_FILE = "sso-cache-file";

/** `tobira sso login`, its code approved (or denied) by dave with `tobira sandbox sso approve`. */
async function loginApproved(demo: DemoContext, deny: boolean) {
  const login = startCli(["sso", "login", "--sso-session", "sandbox", "--no-browser", "--json"]);
  let out = "";
  login.child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  // Listened for now: the login may end (its next poll) before the approval's own output is printed.
  const exited = new Promise<number | null>((resolve) => login.child.once("exit", resolve));
  const line = await login.ready(/confirm the code [A-Z]{4}-[A-Z]{4}/);
  const code = line.slice(-9);
  demo.transcript([
    "# tobira sso login --sso-session sandbox --no-browser",
    `(stderr) tobira: to sign in to https://d-956700a1b2.awsapps.com/start, open ${demo.endpoint}/device?user_code=${code}`,
    `(stderr) tobira: and confirm the code ${code}`,
  ]);
  demo.say(
    `dave signs in on that page and ${deny ? "denies" : "approves"} (here: tobira sandbox sso approve):`,
  );
  const args = ["sandbox", "sso", "approve", code, "--user", "dave", "--state", demo.paths.stateDir];
  await showCli(
    demo,
    `tobira sandbox sso approve ${code} --user dave${deny ? " --deny" : ""}`,
    deny ? [...args, "--deny"] : args,
  );
  const status = await exited;
  return { status, out };
}

async function arnOf(demo: DemoContext, json: string): Promise<string> {
  const c = JSON.parse(json) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  const sts = demo.stsWith({
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
  });
  return (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? "";
}

export const ssoSteps: DemoStep[] = [
  {
    title: "dave signs in to IAM Identity Center once, with the device flow",
    async run(demo) {
      const { status, out } = await loginApproved(demo, false);
      demo.check("tobira sso login", status === 0, `exit ${status}`);
      const report = JSON.parse(out.trim().split("\n").pop() ?? "{}") as {
        cacheFile?: string;
        expiresAt?: string;
      };
      const file = report.cacheFile ?? "";
      demo.shared.set(CACHE_FILE, file);
      const names = Object.keys(JSON.parse(readFileSync(file, "utf8")) as object);
      demo.say(
        "The token is cached where and as the AWS CLI keeps it, so `aws` and the SDKs share the login:",
      );
      demo.show([
        // dave's HOME is in the demo's temporary folder; shown as ~ to fit the line.
        ["file", file.replace(process.env.HOME ?? "\0", "~")],
        ["mode", (statSync(file).mode & 0o777).toString(8)],
        ["fields", names.slice(0, 4).join(", ")],
        ["fields", names.slice(4).join(", ")],
        ["expires", report.expiresAt ?? ""],
      ]);
      demo.check("the cache file is 0600", (statSync(file).mode & 0o777) === 0o600);
    },
  },
  {
    title: "the permission set's role through credential_process, from GetRoleCredentials",
    async run(demo) {
      const result = await showCli(demo, `tobira credential-process ${SESSION_PROFILE}`, [
        "credential-process",
        SESSION_PROFILE,
      ]);
      const arn = result.code === 0 ? await arnOf(demo, result.stdout) : "";
      demo.say(`The SDK acts as ${arn}`);
      demo.check(
        "the role is AWSReservedSSO_SessionOperator_…, session dave",
        /assumed-role\/AWSReservedSSO_SessionOperator_[0-9a-f]{16}\/dave$/.test(arn),
        arn,
      );
    },
  },
  {
    title: "a Session Manager command with the SSO profile",
    async run(demo) {
      const result = await showCli(demo, `tobira run web-a --profile ${SESSION_PROFILE} -- uname -s`, [
        "run",
        "web-a",
        "--profile",
        SESSION_PROFILE,
        "--",
        "uname",
        "-s",
      ]);
      demo.check("tobira run on web-a (project-a)", result.code === 0, `exit ${result.code}`);
      const denied = await showCli(demo, `tobira run web-b --profile ${SESSION_PROFILE} -- true`, [
        "run",
        "web-b",
        "--profile",
        SESSION_PROFILE,
        "--",
        "true",
      ]);
      demo.check(
        "web-b (project-b) refused with AWS's AccessDeniedException",
        denied.code !== 0 && /AccessDenied/.test(denied.stderr),
      );
    },
  },
  {
    title: "role chaining: source_profile = an SSO profile",
    async run(demo) {
      demo.say(
        "[profile sso-audit] has role_arn = …:role/audit-from-sso and source_profile = sso-ReadOnly-111111111111:",
      );
      const result = await showCli(demo, "tobira credential-process sso-audit", [
        "credential-process",
        "sso-audit",
      ]);
      const arn = result.code === 0 ? await arnOf(demo, result.stdout) : "";
      demo.say(`The chained role acts as ${arn} — still no second sign-in.`);
      demo.check(
        "audit-from-sso assumed from the ReadOnly permission set",
        arn.endsWith(":assumed-role/audit-from-sso/dave"),
        arn,
      );
    },
  },
  {
    title: "a request dave denies",
    async run(demo) {
      const { status } = await loginApproved(demo, true);
      demo.check("the denied login fails with a clear message", status === 1, `exit ${status}`);
      const again = await runCli(["credential-process", SESSION_PROFILE]);
      demo.check("the earlier login still serves the profile", again.code === 0, again.stderr);
    },
  },
  {
    title: "dave signs out, as `aws sso logout` does",
    async run(demo) {
      const out = await showCli(demo, "tobira sso logout --sso-session sandbox", [
        "sso",
        "logout",
        "--sso-session",
        "sandbox",
      ]);
      demo.check("tobira sso logout", out.code === 0, out.stderr);
      demo.say("The portal ended the token; the next command asks for a new sign-in:");
      const after = await showCli(demo, `tobira credential-process ${SESSION_PROFILE}`, [
        "credential-process",
        SESSION_PROFILE,
      ]);
      demo.check(
        "the profile now says to run tobira sso login",
        after.code !== 0 && /tobira sso login --sso-session sandbox/.test(after.stderr),
        after.stderr,
      );
      const doctor = await runCli(["doctor", SESSION_PROFILE, "--json"]);
      const steps = (JSON.parse(doctor.stdout || "{}") as { steps?: DoctorStep[] }).steps ?? [];
      const token = steps.find((s) => s.id === "sso-token");
      demo.say(`tobira doctor ${SESSION_PROFILE} says so too, in its sso-token step:`);
      demo.show([
        ["status", token?.status ?? "?"],
        ["summary", token?.summary ?? "?"],
        ["fix", token?.fix ?? "?"],
      ]);
      demo.check(
        "doctor's sso-token step fails with the login command",
        token?.status === "failure" && token.fix === "tobira sso login --sso-session sandbox",
      );
    },
  },
];
