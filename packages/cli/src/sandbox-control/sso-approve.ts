// `tobira sandbox sso approve CODE [--user NAME] [--deny]`: answers a device code on the running sandbox's
// verification page as the user would in the browser, for scripts, tests and the demo: it signs in with the
// user's password (which the state folder's world holds), keeps the page's cookie, and posts the page's own
// decision form. The sandbox decides (a wrong password, unknown code, expired, already answered).
import { TobiraError } from "../errors.js";
import { asUserError, loadSandboxLibrary } from "./sandbox-library.js";
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
  signedIn?: string;
  error?: string;
  message?: string;
}

async function postForm(url: string, fields: Record<string, string>, cookie?: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
      ...(cookie === undefined ? {} : { cookie }),
    },
    body: new URLSearchParams(fields).toString(),
  });
  const answer = (await response.json().catch(() => ({}))) as PageAnswer;
  return { response, answer };
}

/** Signs in as `signIn.user` on the sandbox at `endpoint`, then allows or denies; throws the page's refusal. */
export async function answerDeviceCode(
  endpoint: string,
  userCode: string,
  options: { signIn: { user: string; password: string }; deny?: boolean | undefined },
): Promise<{ userCode: string; status: string; user: string }> {
  const page = `${endpoint}/device`;
  const signedIn = await postForm(page, {
    action: "signin",
    user: options.signIn.user,
    password: options.signIn.password,
    user_code: userCode,
  });
  const cookie = signedIn.response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (!signedIn.response.ok || cookie === "") {
    throw new TobiraError(
      `the sandbox's device page refused the sign-in as ${options.signIn.user}: ${signedIn.answer.message ?? `HTTP ${signedIn.response.status}`}`,
      {
        hint: "the password is the world's identityCenter.users[].password; restart the sandbox if you changed it",
      },
    );
  }
  const decided = await postForm(
    page,
    { user_code: userCode, decision: options.deny ? "deny" : "allow" },
    cookie,
  );
  const answer = decided.answer;
  if (!decided.response.ok || answer.status === undefined) {
    throw new TobiraError(
      `the sandbox refused the code ${userCode}: ${answer.message ?? `HTTP ${decided.response.status}`}`,
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
  const sandbox = await loadSandboxLibrary();
  let signIn: { user: string; password: string };
  try {
    signIn = sandbox.ssoSignInFor(paths.stateDir, options.user);
  } catch (error) {
    throw asUserError(error);
  }
  const result = await answerDeviceCode(process_.record.endpoint, userCode, {
    signIn,
    deny: options.deny,
  });
  if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${result.user} ${result.status} ${result.userCode}\n`);
}
