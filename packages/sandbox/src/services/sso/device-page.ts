// The verification page on loopback, where a user signs in and then approves or denies a device code, as the
// access portal's sign-in and "Authorize request" pages do. Signing in checks an Identity Center user's
// password (the world file's `password`) and sets an HttpOnly, SameSite=Strict cookie for an hour; a decision
// without that cookie is refused, so another local process cannot approve a code for a user. `tobira sandbox
// sso approve CODE` does what a browser does — signs in with the user's password from the state folder, then
// posts the decision — asking for JSON answers.

import { createHash, timingSafeEqual } from "node:crypto";
import type { AuditFacts } from "../../audit/audit-log.js";
import { parseFormEncoded } from "../../protocol/query.js";
import type { HttpAnswer } from "../../server/http-answer.js";
import { headerValue, type IncomingAwsRequest } from "../../server/incoming-request.js";
import type { SandboxRuntime } from "../../server/runtime.js";
import type { HttpRoute } from "../../server/service-registry.js";
import type { IdentityCenter, SsoUser } from "../../world/model.js";
import { escapeHtml, htmlPage } from "../html-page.js";
import { DEVICE_PAGE_PATH } from "./oidc.js";
import { queryValue } from "./sso-answers.js";
import { PAGE_SIGN_IN_SECONDS, SsoStore } from "./sso-store.js";

const COOKIE = "tobira_sso_page";

class PageRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function signInPage(instance: IdentityCenter, userCode: string, problem?: string): string {
  return htmlPage(
    "Sign in",
    `${problem === undefined ? "" : `<p role="alert">${escapeHtml(problem)}</p>\n`}<p>Sign in to ${escapeHtml(instance.startUrl)} (sandbox) to authorize the device.</p>
<form method="post" action="${DEVICE_PAGE_PATH}">
<input type="hidden" name="action" value="signin">
<label>Code <input name="user_code" value="${escapeHtml(userCode)}" required></label>
<label>Username <input name="user" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button>Sign in</button>
</form>`,
  );
}

function authorizePage(instance: IdentityCenter, userCode: string, user: SsoUser): string {
  return htmlPage(
    "Authorize request",
    `<p>Signed in to ${escapeHtml(instance.startUrl)} (sandbox) as ${escapeHtml(user.displayName)} (${escapeHtml(user.name)}). Allow the device to act for you?</p>
<form method="post" action="${DEVICE_PAGE_PATH}">
<label>Code <input name="user_code" value="${escapeHtml(userCode)}" required></label>
<button name="decision" value="allow">Allow</button>
<button name="decision" value="deny">Deny</button>
</form>`,
  );
}

function cookieOf(request: IncomingAwsRequest): string | undefined {
  for (const part of (headerValue(request, "cookie") ?? "").split(/[;,]/)) {
    const [name, ...value] = part.trim().split("=");
    if (name === COOKIE) return value.join("=");
  }
  return undefined;
}

/** The user the request's cookie signs in, while the sign-in lasts. */
function signedInUser(runtime: SandboxRuntime, request: IncomingAwsRequest): SsoUser | undefined {
  const cookie = cookieOf(request);
  const instance = runtime.world.identityCenter;
  if (!cookie || !instance) return undefined;
  const signIn = new SsoStore(runtime.state, runtime.clock()).pageSignIn(cookie);
  return instance.users.find((u) => u.name === signIn?.userName);
}

/** Compared as digests, so neither the length nor the content leaks through timing. */
function samePassword(given: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function instanceOf(runtime: SandboxRuntime): IdentityCenter {
  const instance = runtime.world.identityCenter;
  if (!instance)
    throw new PageRefusal(404, "NoIdentityCenter", "This sandbox world has no IAM Identity Center instance.");
  return instance;
}

/** A user name and password that match: the user; anything else, one answer that says not which was wrong. */
function signIn(runtime: SandboxRuntime, form: Map<string, string[]>, audit: AuditFacts) {
  const instance = instanceOf(runtime);
  const field = (name: string) => form.get(name)?.at(-1) ?? "";
  const user = instance.users.find((u) => u.name === field("user"));
  // The password is checked even for an unknown name, so both take the same time.
  const matches = samePassword(field("password"), user?.password ?? "\0unknown user");
  if (!user || !matches) {
    audit.reason = `sign-in as "${field("user").slice(0, 128)}" refused`;
    throw new PageRefusal(401, "InvalidCredentials", "The username or password is not right.");
  }
  const cookie = new SsoStore(runtime.state, runtime.clock()).addPageSignIn(user.name);
  audit.principalArn = `identitystore:${instance.identityStoreId}:user/${user.name}`;
  audit.reason = `${user.name} signed in on the device page`;
  return { user, cookie };
}

function decide(
  runtime: SandboxRuntime,
  form: Map<string, string[]>,
  user: SsoUser | undefined,
  audit: AuditFacts,
) {
  const instance = instanceOf(runtime);
  if (!user) {
    throw new PageRefusal(
      401,
      "SignInRequired",
      "Sign in first: only a signed-in Identity Center user can allow or deny a device.",
    );
  }
  const field = (name: string) => form.get(name)?.at(-1) ?? "";
  const userCode = field("user_code");
  const decision = field("decision") === "deny" ? "deny" : "allow";
  const now = runtime.clock();
  const store = new SsoStore(runtime.state, now);
  const grant = store.grantByUserCode(userCode);
  if (!grant)
    throw new PageRefusal(404, "UnknownCode", `No device authorization has the code "${userCode}".`);
  if (grant.expiresAtMs <= now)
    throw new PageRefusal(410, "ExpiredCode", `The code ${grant.userCode} has expired.`);
  if (grant.status !== "pending") {
    throw new PageRefusal(409, "AlreadyDecided", `The code ${grant.userCode} was already ${grant.status}.`);
  }
  grant.status = decision === "allow" ? "approved" : "denied";
  grant.userName = user.name;
  store.save();
  audit.principalArn = `identitystore:${instance.identityStoreId}:user/${user.name}`;
  audit.reason = `${user.name} ${grant.status} ${grant.userCode}`;
  return { userCode: grant.userCode, status: grant.status, user: user.name };
}

function answer(
  status: number,
  json: boolean,
  payload: object,
  page: string,
  audit: AuditFacts,
  headers: Record<string, string> = {},
): HttpAnswer {
  return json
    ? {
        status,
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(payload),
        audit,
      }
    : { status, headers: { ...headers, "content-type": "text/html; charset=utf-8" }, body: page, audit };
}

function post(request: IncomingAwsRequest, runtime: SandboxRuntime, json: boolean): HttpAnswer {
  const form = parseFormEncoded(request.body.toString("utf8"));
  const signingIn = form.get("action")?.at(-1) === "signin";
  const audit: AuditFacts = { service: "sso", action: signingIn ? "SignIn" : "AuthorizeDevice" };
  const userCode = form.get("user_code")?.at(-1) ?? "";
  try {
    if (signingIn) {
      const { user, cookie } = signIn(runtime, form, audit);
      const setCookie = `${COOKIE}=${cookie}; Path=${DEVICE_PAGE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${PAGE_SIGN_IN_SECONDS}`;
      const page = authorizePage(instanceOf(runtime), userCode, user);
      return answer(
        200,
        json,
        { signedIn: user.name },
        page,
        { ...audit, decision: "Allow" },
        {
          "set-cookie": setCookie,
        },
      );
    }
    const result = decide(runtime, form, signedInUser(runtime, request), audit);
    const words = result.status === "approved" ? "Request approved" : "Request denied";
    const page = htmlPage(
      words,
      `<p>${escapeHtml(result.user)} ${escapeHtml(result.status)} ${escapeHtml(result.userCode)}. You can close this window.</p>`,
    );
    return answer(200, json, result, page, { ...audit, decision: "Allow" });
  } catch (error) {
    if (!(error instanceof PageRefusal)) throw error;
    const failed = { ...audit, decision: error.code, reason: audit.reason ?? error.message };
    const instance = runtime.world.identityCenter;
    const page =
      instance && error.status === 401
        ? signInPage(instance, userCode, error.message)
        : htmlPage("Cannot authorize", `<p>${escapeHtml(error.message)}</p>`);
    return answer(error.status, json, { error: error.code, message: error.message }, page, failed);
  }
}

async function handle(
  request: IncomingAwsRequest,
  _requestId: string,
  runtime: SandboxRuntime,
): Promise<HttpAnswer> {
  const json = (headerValue(request, "accept") ?? "").includes("application/json");
  if (request.method !== "GET") return post(request, runtime, json);
  const instance = runtime.world.identityCenter;
  const userCode = queryValue(request, "user_code") ?? "";
  const user = signedInUser(runtime, request);
  const page = !instance
    ? htmlPage("No Identity Center", "<p>This sandbox world has no IAM Identity Center instance.</p>")
    : user
      ? authorizePage(instance, userCode, user)
      : signInPage(instance, userCode);
  return answer(instance ? 200 : 404, false, {}, page, {
    service: "sso",
    action: "ShowDevicePage",
    decision: "Allow",
  });
}

export function devicePageRoute(): HttpRoute {
  return { path: DEVICE_PAGE_PATH, handle };
}
