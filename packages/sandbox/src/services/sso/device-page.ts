// The verification page on loopback, where a user approves or denies a device code, as the access portal's
// "Authorize request" page does after sign-in. The sandbox has no passwords: the form names the Identity
// Center user who approves. `tobira sandbox sso approve CODE` posts the same form asking for JSON.

import type { AuditFacts } from "../../audit/audit-log.js";
import { parseFormEncoded } from "../../protocol/query.js";
import type { HttpAnswer } from "../../server/http-answer.js";
import { headerValue, type IncomingAwsRequest } from "../../server/incoming-request.js";
import type { SandboxRuntime } from "../../server/runtime.js";
import type { HttpRoute } from "../../server/service-registry.js";
import type { IdentityCenter } from "../../world/model.js";
import { escapeHtml } from "../federation-page.js";
import { DEVICE_PAGE_PATH } from "./oidc.js";
import { queryValue } from "./sso-answers.js";
import { SsoStore } from "./sso-store.js";

class PageRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function html(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

function formPage(instance: IdentityCenter, userCode: string): string {
  const users = instance.users
    .map(
      (u) =>
        `<option value="${escapeHtml(u.name)}">${escapeHtml(u.displayName)} (${escapeHtml(u.name)})</option>`,
    )
    .join("");
  return html(
    "Authorize request",
    `<p>Sign in to ${escapeHtml(instance.startUrl)} (sandbox) and allow the device to act for you.</p>
<form method="post" action="${DEVICE_PAGE_PATH}">
<label>Code <input name="user_code" value="${escapeHtml(userCode)}" required></label>
<label>User <select name="user">${users}</select></label>
<button name="decision" value="allow">Allow</button>
<button name="decision" value="deny">Deny</button>
</form>`,
  );
}

function decide(runtime: SandboxRuntime, form: Map<string, string[]>, audit: AuditFacts) {
  const instance = runtime.world.identityCenter;
  if (!instance)
    throw new PageRefusal(404, "NoIdentityCenter", "This sandbox world has no IAM Identity Center instance.");
  const field = (name: string) => form.get(name)?.at(-1) ?? "";
  const userCode = field("user_code");
  const decision = field("decision") === "deny" ? "deny" : "allow";
  const user = instance.users.find((u) => u.name === (field("user") || instance.users[0]?.name));
  if (!user) {
    const known = instance.users.map((u) => u.name).join(", ") || "none";
    throw new PageRefusal(
      400,
      "UnknownUser",
      `No Identity Center user "${field("user")}" (users: ${known}).`,
    );
  }
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

function answer(status: number, json: boolean, payload: object, page: string, audit: AuditFacts): HttpAnswer {
  return json
    ? { status, headers: { "content-type": "application/json" }, body: JSON.stringify(payload), audit }
    : { status, headers: { "content-type": "text/html; charset=utf-8" }, body: page, audit };
}

async function handle(
  request: IncomingAwsRequest,
  _requestId: string,
  runtime: SandboxRuntime,
): Promise<HttpAnswer> {
  const audit: AuditFacts = { service: "sso", action: "AuthorizeDevice" };
  const json = (headerValue(request, "accept") ?? "").includes("application/json");
  const instance = runtime.world.identityCenter;
  if (request.method === "GET") {
    const page = instance
      ? formPage(instance, queryValue(request, "user_code") ?? "")
      : html("No Identity Center", "<p>This sandbox world has no IAM Identity Center instance.</p>");
    return answer(instance ? 200 : 404, false, {}, page, {
      ...audit,
      action: "ShowDevicePage",
      decision: "Allow",
    });
  }
  try {
    const result = decide(runtime, parseFormEncoded(request.body.toString("utf8")), audit);
    const words = result.status === "approved" ? "Request approved" : "Request denied";
    const page = html(
      words,
      `<p>${escapeHtml(result.user)} ${escapeHtml(result.status)} ${escapeHtml(result.userCode)}. You can close this window.</p>`,
    );
    return answer(200, json, result, page, { ...audit, decision: "Allow" });
  } catch (error) {
    if (!(error instanceof PageRefusal)) throw error;
    const failed = { ...audit, decision: error.code, reason: error.message };
    return answer(
      error.status,
      json,
      { error: error.code, message: error.message },
      html("Cannot authorize", `<p>${escapeHtml(error.message)}</p>`),
      failed,
    );
  }
}

export function devicePageRoute(): HttpRoute {
  return { path: DEVICE_PAGE_PATH, handle };
}
