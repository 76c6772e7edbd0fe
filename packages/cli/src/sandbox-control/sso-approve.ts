// `tobira sandbox sso approve CODE [--user NAME] [--deny]`: answers a device code on the running sandbox's
// verification page, as the user would in the browser, for scripts, tests and the demo. It posts the page's
// own form; the sandbox decides (unknown code, expired, already answered, unknown user).
import { TobiraError } from "../errors.js";
import { inspectSandboxProcess, resolveStateDir, sandboxPaths } from "./state-folder.js";

export interface SsoApproveOptions {
  state?: string;
  user?: string;
  deny?: boolean;
  json?: boolean;
}

interface PageAnswer {
  userCode?: string;
  status?: string;
  user?: string;
  error?: string;
  message?: string;
}

/** Posts the decision to the sandbox at `endpoint`; resolves the page's JSON answer or throws its refusal. */
export async function answerDeviceCode(
  endpoint: string,
  userCode: string,
  options: { user?: string | undefined; deny?: boolean | undefined },
): Promise<{ userCode: string; status: string; user: string }> {
  const form = new URLSearchParams({ user_code: userCode, decision: options.deny ? "deny" : "allow" });
  if (options.user !== undefined) form.set("user", options.user);
  const response = await fetch(`${endpoint}/device`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: form.toString(),
  });
  const answer = (await response.json().catch(() => ({}))) as PageAnswer;
  if (!response.ok || answer.status === undefined) {
    throw new TobiraError(
      `the sandbox refused the code ${userCode}: ${answer.message ?? `HTTP ${response.status}`}`,
      {
        hint: "copy the code `tobira sso login` printed (like ABCD-EFGH); a code lasts 10 minutes and is answered once",
      },
    );
  }
  return { userCode: answer.userCode ?? userCode, status: answer.status, user: answer.user ?? "" };
}

export async function runSandboxSsoApprove(userCode: string, options: SsoApproveOptions): Promise<void> {
  const paths = sandboxPaths(resolveStateDir(options.state));
  const process_ = await inspectSandboxProcess(paths);
  if (process_.status !== "running") {
    throw new TobiraError(`no sandbox is running with the state folder ${paths.stateDir}`, {
      hint: `start one with \`tobira sandbox up --detach --state ${paths.stateDir}\` (or pass the --state it uses)`,
    });
  }
  const result = await answerDeviceCode(process_.record.endpoint, userCode, options);
  if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${result.user} ${result.status} ${result.userCode}\n`);
}
