// `tobira doctor` on IAM Identity Center profiles, end to end against the sandbox: a healthy login gives ok for
// the token, GetRoleCredentials and the session path; each fault — no login, an expired token that cannot be
// refreshed, one whose refresh token the portal refused, a signed-out token, a permission set the user is not
// assigned — is named in its own step with its fix, and nothing else is wrong. No token is ever printed.
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { LogoutCommand, SSOClient } from "@aws-sdk/client-sso";
import type { World } from "@tobira/sandbox";
import { BUILT, type SandboxUser, startSandboxUser, worldVariant } from "../fixtures/sandbox-user.js";
import { addSsoProfiles, START_URL, ssoLogin, ssoTokenFile } from "../fixtures/sso-login.js";

const skip = !BUILT && "run `npm run build` first";
const timeout = 180_000;
const PROFILE = "sso-SessionOperator-222222222222";
const LOGIN_FIX = "`tobira sso login --sso-session sandbox`";

interface Step {
  id: string;
  status: string;
  summary: string;
  evidence: string[];
  fix?: string;
}
interface Report {
  schema: string;
  ok: boolean;
  steps: Step[];
}

async function login(fx: SandboxUser, args = ["--sso-session", "sandbox"]) {
  const result = await ssoLogin(fx, args);
  assert.equal(result.status, 0, result.stderr);
}

async function doctor(fx: SandboxUser, args: string[]) {
  const result = await fx.tobira(["doctor", ...args, "--json"]);
  assert.doesNotMatch(result.stdout + result.stderr, /aoa[\w-]{20}|aor[\w-]{20}/, "no token printed");
  return { code: result.code, report: JSON.parse(result.stdout) as Report };
}

function stepOf(report: Report, id: string): Step {
  const found = report.steps.find((s) => s.id === id);
  assert.ok(found, `step ${id} in ${report.steps.map((s) => s.id).join(", ")}`);
  return found;
}

/** The token's fields, edited in place (an expiry in the past, no refresh token, …). */
function editToken(fx: SandboxUser, edit: (token: Record<string, string>) => void, id = "sandbox") {
  const token = JSON.parse(readFileSync(ssoTokenFile(fx, id), "utf8")) as Record<string, string>;
  edit(token);
  writeFileSync(ssoTokenFile(fx, id), JSON.stringify(token), { mode: 0o600 });
}

function withSandbox(label: string, world: World | undefined, body: (get: () => SandboxUser) => void) {
  describe(label, { skip, timeout }, () => {
    let fx: SandboxUser;
    before(async () => {
      fx = await startSandboxUser({
        label: `doctor-sso-${label.replace(/\W+/g, "-").slice(0, 16)}`,
        ...(world ? { world } : {}),
      });
      addSsoProfiles(fx);
    });
    after(async () => {
      await fx?.close();
    });
    body(() => fx);
  });
}

withSandbox("an SSO profile", undefined, (fx) => {
  test("no login yet: the sso-token step fails with the login command; GetRoleCredentials unchecked", async () => {
    const { code, report } = await doctor(fx(), [PROFILE]);
    assert.equal(code, 1);
    assert.equal(report.schema, "tobira.doctor/1");
    assert.deepEqual(
      report.steps.map((s) => `${s.id} ${s.status}`),
      ["config ok", "sso-token failure", "mfa ok", "sts:0 unchecked"],
    );
    const token = stepOf(report, "sso-token");
    assert.match(token.summary, /no login of sso-session "sandbox" on this machine \(never, or signed out\)/);
    assert.equal(token.fix, LOGIN_FIX.slice(1, -1));
  });

  test("signed in: every step ok, the role credentials carry the session to web-a", async () => {
    await login(fx());
    const { code, report } = await doctor(fx(), [PROFILE, "web-a"]);
    const statuses = report.steps.map((s) => `${s.id} ${s.status}`);
    assert.equal(code, 0, statuses.join(", "));
    for (const s of report.steps) assert.match(s.status, /^(ok|unchecked)$/, `${s.id}: ${s.summary}`);
    for (const id of ["config", "sso-token", "mfa", "sts:0", "target", "agent", "session"])
      assert.equal(stepOf(report, id).status, "ok", `${id}: ${stepOf(report, id).summary}`);
    const token = stepOf(report, "sso-token");
    assert.match(token.summary, /^login of sso-session "sandbox" valid until .*Z, then refreshed$/);
    assert.match(token.evidence.join("\n"), /refreshable: a refresh token/);
    const role = stepOf(report, "sts:0");
    assert.match(
      role.summary,
      /^role credentials as arn:aws:sts::222222222222:assumed-role\/AWSReservedSSO_SessionOperator_[0-9a-f]{16}\/dave$/,
    );
  });

  test("a role chained from an SSO profile: GetRoleCredentials, then AssumeRole as dave", async () => {
    const { code, report } = await doctor(fx(), ["sso-audit"]);
    assert.equal(code, 0, JSON.stringify(report.steps));
    assert.match(
      stepOf(report, "config").summary,
      /permission set ReadOnly in 111111111111 .*→ arn:aws:iam::222222222222:role\/audit-from-sso/,
    );
    assert.match(
      stepOf(report, "sts:0").summary,
      /assumed-role\/AWSReservedSSO_ReadOnly_[0-9a-f]{16}\/dave$/,
    );
    const hop = stepOf(report, "sts:1");
    assert.equal(hop.status, "ok", hop.summary);
    assert.match(hop.evidence.join("\n"), /AssumeRole arn:aws:iam::222222222222:role\/audit-from-sso/);
  });

  test("an expired token with a refresh token: refreshed, ok", async () => {
    editToken(fx(), (t) => {
      t.expiresAt = "2020-01-01T00:00:00Z";
    });
    const { report } = await doctor(fx(), [PROFILE]);
    const token = stepOf(report, "sso-token");
    assert.equal(token.status, "ok", token.summary);
    assert.equal(token.summary, "expired at 2020-01-01T00:00:00Z, refreshed with the refresh token");
    assert.equal(stepOf(report, "sts:0").status, "ok");
    assert.ok(Date.parse(JSON.parse(readFileSync(ssoTokenFile(fx()), "utf8")).expiresAt) > Date.now());
  });

  test("signed out elsewhere (the token still looks valid): GetRoleCredentials fails, fix: sign in again", async () => {
    const { accessToken } = JSON.parse(readFileSync(ssoTokenFile(fx()), "utf8")) as { accessToken: string };
    await new SSOClient({ endpoint: fx().sandbox.endpoint, region: "ap-northeast-1" }).send(
      new LogoutCommand({ accessToken }),
    );
    const { code, report } = await doctor(fx(), [PROFILE]);
    assert.equal(code, 1);
    assert.equal(stepOf(report, "sso-token").status, "ok");
    const role = stepOf(report, "sts:0");
    assert.equal(role.status, "failure");
    assert.match(role.summary, /the portal no longer takes the token of sso-session "sandbox"/);
    assert.match(role.evidence.join("\n"), /UnauthorizedException: Session token not found or invalid/);
    assert.equal(role.fix, LOGIN_FIX.slice(1, -1));
  });

  test("expired, and the refresh token was ended by the logout: the sso-token step fails", async () => {
    editToken(fx(), (t) => {
      t.expiresAt = "2020-01-01T00:00:00Z";
    });
    const { report } = await doctor(fx(), [PROFILE]);
    const token = stepOf(report, "sso-token");
    assert.equal(token.status, "failure");
    assert.match(token.summary, /expired at 2020-01-01T00:00:00Z and the refresh token was refused/);
    assert.equal(token.fix, LOGIN_FIX.slice(1, -1));
    assert.equal(stepOf(report, "sts:0").status, "unchecked");
  });

  test("expired without a refresh token (the legacy form): fails, cannot be refreshed", async () => {
    await login(fx(), ["--profile", "sso-legacy"]);
    editToken(
      fx(),
      (t) => {
        t.expiresAt = "2020-01-01T00:00:00Z";
      },
      START_URL,
    );
    const { code, report } = await doctor(fx(), ["sso-legacy"]);
    assert.equal(code, 1);
    const token = stepOf(report, "sso-token");
    assert.equal(token.status, "failure");
    assert.match(
      token.summary,
      /login of start URL .* expired at 2020-01-01T00:00:00Z and cannot be refreshed/,
    );
    assert.match(token.evidence.join("\n"), /no refresh token/);
    assert.equal(token.fix, "tobira sso login --profile sso-legacy");
    rmSync(ssoTokenFile(fx(), START_URL));
  });
});

/** dave's group no longer has SessionOperator in 222222222222 (erin has it instead). */
const unassigned = (): World =>
  worldVariant((w) => {
    const assignment = w.identityCenter?.assignments.find((a) => a.permissionSet === "SessionOperator");
    assert.ok(assignment);
    assignment.principal = { type: "USER", name: "erin" };
  });

withSandbox("a permission set the user is not assigned", unassigned(), (fx) => {
  test("GetRoleCredentials fails with ForbiddenException; the fix names what the user has", async () => {
    await login(fx());
    const { code, report } = await doctor(fx(), [PROFILE]);
    assert.equal(code, 1);
    assert.deepEqual(
      report.steps.map((s) => `${s.id} ${s.status}`),
      ["config ok", "sso-token ok", "mfa ok", "sts:0 failure"],
    );
    const role = stepOf(report, "sts:0");
    assert.equal(
      role.summary,
      "IAM Identity Center gives you no permission set SessionOperator in account 222222222222",
    );
    assert.match(role.evidence.join("\n"), /ForbiddenException: No access/);
    assert.match(role.evidence.join("\n"), /your assignments: 111111111111\/ReadOnly/);
    assert.match(
      role.fix ?? "",
      /set sso_account_id and sso_role_name in \[profile sso-SessionOperator-222222222222\] to one of 111111111111\/ReadOnly/,
    );
  });
});
