// IAM Identity Center end to end: `tobira sso login` (the device flow against the sandbox, approved with
// `tobira sandbox sso approve`), the token in the AWS CLI's cache file, role credentials through every output,
// session commands and role chaining from an SSO profile, the AWS SDK's own fromSSO reading tobira's cache,
// refresh, expired and revoked tokens, concurrent commands during a login, and bad input.
import assert from "node:assert/strict";
import { chownSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { LogoutCommand, SSOClient } from "@aws-sdk/client-sso";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromSSO } from "@aws-sdk/credential-provider-sso";
import { BUILT, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";
import { addSsoProfiles, SESSION_PROFILE, START_URL, ssoLogin, ssoTokenFile } from "../fixtures/sso-login.js";

const SESSION_ROLE = "AWSReservedSSO_SessionOperator_d75c4bd293b1a7d5";

/** Profiles that name a missing sso-session, or a start URL that is not the session's. */
const BROKEN_SSO_PROFILES = `
[profile sso-nosession]
sso_session = nope
sso_account_id = 222222222222
sso_role_name = SessionOperator

[profile sso-mismatch]
sso_session = sandbox
sso_start_url = https://d-0000000000.awsapps.com/start
sso_account_id = 222222222222
sso_role_name = SessionOperator
`;

async function exportJson(f: SandboxUser, profile: string) {
  const result = await f.tobira(["export", profile, "--format", "json"]);
  return { ...result, creds: result.code === 0 ? (JSON.parse(result.stdout) as Record<string, string>) : {} };
}

async function whoAmI(f: SandboxUser, creds: Record<string, string>): Promise<string> {
  const sts = new STSClient({
    endpoint: f.sandbox.endpoint,
    region: "ap-northeast-1",
    credentials: {
      accessKeyId: creds.AccessKeyId ?? creds.AWS_ACCESS_KEY_ID ?? "",
      secretAccessKey: creds.SecretAccessKey ?? creds.AWS_SECRET_ACCESS_KEY ?? "",
      sessionToken: creds.SessionToken ?? creds.AWS_SESSION_TOKEN ?? "",
    },
  });
  return (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? "";
}

const count = (f: SandboxUser, action: string) =>
  f.audit().filter((line) => line.action === action && line.decision === "Allow").length;

describe("tobira sso login and SSO profiles against the sandbox", {
  skip: !BUILT && "run `npm run build` first",
}, () => {
  let f: SandboxUser;
  before(async () => {
    f = await startSandboxUser({ label: "sso", extraConfig: "" });
    addSsoProfiles(f, BROKEN_SSO_PROFILES);
  });
  after(() => f?.close());

  it("an SSO profile before any login: a clear 'run tobira sso login' error", async () => {
    const result = await f.tobira(["export", SESSION_PROFILE]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /the IAM Identity Center login of sso-session "sandbox" has not happened yet/,
    );
    assert.match(result.stderr, /hint: run `tobira sso login --sso-session sandbox`/);
  });

  it("concurrent commands and a second login during a login: one device flow, one GetRoleCredentials", async () => {
    const first = f.spawnTobira(["sso", "login", "--sso-session", "sandbox", "--no-browser"]);
    const code = (await first.waitFor(/confirm the code ([A-Z]{4}-[A-Z]{4})/))[1]!;
    const second = f.spawnTobira(["sso", "login", "--sso-session", "sandbox", "--no-browser"]);
    const exports = Array.from({ length: 4 }, () =>
      f.spawnTobira(["export", SESSION_PROFILE, "--format", "json"]),
    );
    await second.waitFor(/waiting for another tobira process signing in/);
    const approve = await f.tobira(["sandbox", "sso", "approve", code, "--state", f.stateDir]);
    assert.equal(approve.code, 0, approve.stderr);
    assert.equal(await first.exited, 0, first.stderr());
    assert.equal(await second.exited, 0, second.stderr());
    assert.match(second.stderr(), /another tobira process has just signed in; using its token/);
    const keys = new Set<string>();
    for (const run of exports) {
      assert.equal(await run.exited, 0, run.stderr());
      keys.add(JSON.stringify(JSON.parse(run.stdout())));
    }
    assert.equal(keys.size, 1, "every command got the same cached role credentials");
    assert.equal(count(f, "StartDeviceAuthorization"), 1);
    assert.equal(count(f, "CreateToken(urn:ietf:params:oauth:grant-type:device_code)"), 1);
    assert.equal(count(f, "GetRoleCredentials"), 1);
  });

  it("caches the token as the AWS CLI does: ~/.aws/sso/cache/sha1(session).json, 0600, its fields", () => {
    const path = ssoTokenFile(f, "sandbox");
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const token = JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
    assert.equal(token.startUrl, START_URL);
    assert.equal(token.region, "ap-northeast-1");
    assert.match(token.accessToken ?? "", /^aoa/);
    assert.match(token.refreshToken ?? "", /^aor/);
    assert.match(token.expiresAt ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(token.clientId && token.clientSecret && token.registrationExpiresAt);
  });

  it("every output works from an SSO profile: export, exec, credential-process, serve, login URL; all from one GetRoleCredentials", async () => {
    const exported = await exportJson(f, SESSION_PROFILE);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(
      await whoAmI(f, exported.creds),
      `arn:aws:sts::222222222222:assumed-role/${SESSION_ROLE}/dave`,
    );
    const exec = await f.tobira([
      "exec",
      SESSION_PROFILE,
      "--",
      "sh",
      "-c",
      'echo "$AWS_ACCESS_KEY_ID $AWS_REGION"',
    ]);
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(
      exec.stdout,
      `${exported.creds.AccessKeyId ?? exported.creds.AWS_ACCESS_KEY_ID} ap-northeast-1\n`,
    );
    const processOut = await f.tobira(["credential-process", SESSION_PROFILE]);
    assert.equal(processOut.code, 0, processOut.stderr);
    assert.equal((JSON.parse(processOut.stdout) as { Version: number }).Version, 1);
    const served = await f.tobira([
      "serve",
      SESSION_PROFILE,
      "--",
      process.execPath,
      "-e",
      `const fs=require("fs");fetch(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,{headers:{authorization:fs.readFileSync(process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,"utf8").trim()}}).then(r=>r.json()).then(j=>console.log(j.AccessKeyId))`,
    ]);
    assert.equal(served.code, 0, served.stderr);
    assert.equal(served.stdout.trim(), exported.creds.AccessKeyId ?? exported.creds.AWS_ACCESS_KEY_ID);
    const url = await f.tobira(["login", SESSION_PROFILE, "--print"]);
    assert.equal(url.code, 0, url.stderr);
    const page = await (await fetch(url.stdout.trim())).text();
    assert.match(page, new RegExp(`assumed-role/${SESSION_ROLE}/dave`));
    assert.equal(count(f, "GetRoleCredentials"), 1, "all from the session cache");
  });

  it("session commands work from an SSO profile: targets and run", async () => {
    const targets = await f.tobira(["targets", "--profile", SESSION_PROFILE]);
    assert.equal(targets.code, 0, targets.stderr);
    assert.match(targets.stdout, /web-a/);
    const run = await f.tobira([
      "run",
      "web-a",
      "--profile",
      SESSION_PROFILE,
      "--",
      "echo",
      "hello-from-sso",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /hello-from-sso/);
    const denied = await f.tobira(["run", "web-b", "--profile", SESSION_PROFILE, "--", "true"]);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /AccessDeniedException/);
  });

  it("chains a role from an SSO profile (source_profile = the SSO profile)", async () => {
    const chained = await exportJson(f, "sso-audit");
    assert.equal(chained.code, 0, chained.stderr);
    assert.equal(
      await whoAmI(f, chained.creds),
      "arn:aws:sts::222222222222:assumed-role/audit-from-sso/dave",
    );
  });

  it("the AWS SDK's own fromSSO reads the cache tobira wrote and gets role credentials from the sandbox", async () => {
    const home = process.env.HOME;
    process.env.HOME = f.root;
    try {
      const provider = fromSSO({
        profile: SESSION_PROFILE,
        configFilepath: f.env.AWS_CONFIG_FILE!,
        filepath: f.env.AWS_SHARED_CREDENTIALS_FILE!,
        clientConfig: { endpoint: f.sandbox.endpoint },
      });
      const creds = await provider();
      assert.match(creds.accessKeyId, /^ASIA/);
      const arn = await whoAmI(f, {
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        SessionToken: creds.sessionToken ?? "",
      });
      assert.equal(arn, `arn:aws:sts::222222222222:assumed-role/${SESSION_ROLE}/dave`);
    } finally {
      process.env.HOME = home;
    }
  });

  it("refreshes a token close to expiry with the refresh token, and rewrites the cache", async () => {
    const path = ssoTokenFile(f, "sandbox");
    const before = JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
    writeFileSync(
      path,
      JSON.stringify({ ...before, expiresAt: new Date(Date.now() + 60_000).toISOString() }),
      { mode: 0o600 },
    );
    await f.tobira(["clear"]);
    const exported = await exportJson(f, SESSION_PROFILE);
    assert.equal(exported.code, 0, exported.stderr);
    const after = JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
    assert.notEqual(after.accessToken, before.accessToken);
    assert.notEqual(after.refreshToken, before.refreshToken);
    assert.equal(count(f, "CreateToken(refresh_token)"), 1);
  });

  it("a revoked (logged-out) token and an expired one without refresh: 'run tobira sso login'", async () => {
    const path = ssoTokenFile(f, "sandbox");
    const token = JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
    await new SSOClient({ endpoint: f.sandbox.endpoint, region: "ap-northeast-1" }).send(
      new LogoutCommand({ accessToken: token.accessToken! }),
    );
    await f.tobira(["clear"]);
    const revoked = await f.tobira(["export", SESSION_PROFILE]);
    assert.equal(revoked.code, 1);
    assert.match(
      revoked.stderr,
      /login of sso-session "sandbox" is no longer valid \(signed out, revoked or expired\)/,
    );
    assert.match(revoked.stderr, /hint: run `tobira sso login --sso-session sandbox`/);
    const { refreshToken: _gone, ...withoutRefresh } = token;
    writeFileSync(path, JSON.stringify({ ...withoutRefresh, expiresAt: "2020-01-01T00:00:00Z" }), {
      mode: 0o600,
    });
    const expired = await f.tobira(["export", SESSION_PROFILE]);
    assert.match(expired.stderr, /login of sso-session "sandbox" expired at 2020-01-01T00:00:00Z/);
    assert.doesNotMatch(expired.stderr + revoked.stderr, /aoa|aor/, "no token in any message");
  });

  it("the legacy sso_start_url form: its own cache file (sha1 of the start URL), no refresh token", async () => {
    const result = await ssoLogin(f, ["--profile", "sso-legacy", "--json"]);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { refreshable: boolean; cacheFile: string };
    assert.equal(report.cacheFile, ssoTokenFile(f, START_URL));
    assert.equal(report.refreshable, false);
    const exported = await exportJson(f, "sso-legacy");
    assert.equal(exported.code, 0, exported.stderr);
  });

  it("a denied approval ends the login with a clear error", async () => {
    const result = await ssoLogin(f, ["--sso-session", "sandbox"], "deny");
    assert.equal(result.status, 1);
    assert.match(result.stderr, /the sign-in request was denied in the browser/);
  });

  it("bad input: unknown sso-session, start URL mismatch, a corrupt cache file, another user's", async () => {
    const unknown = await f.tobira(["export", "sso-nosession"]);
    assert.match(unknown.stderr, /sso-session "nope" is not defined in .*config.*key sso_session/);
    assert.match(unknown.stderr, /Defined sessions: sandbox/);
    const loginUnknown = await f.tobira(["sso", "login", "--sso-session", "sandbx"]);
    assert.match(loginUnknown.stderr, /Did you mean "sandbox"\?/);
    const mismatch = await f.tobira(["export", "sso-mismatch"]);
    assert.match(
      mismatch.stderr,
      /sso_start_url https:\/\/d-0000000000\.awsapps\.com\/start .* differs from sso-session "sandbox"'s https:\/\/d-956700a1b2/,
    );
    const path = ssoTokenFile(f, "sandbox");
    writeFileSync(path, "{not json", { mode: 0o600 });
    await f.tobira(["clear"]);
    const corrupt = await f.tobira(["export", SESSION_PROFILE]);
    assert.match(corrupt.stderr, /token cache .* is corrupt/);
    assert.match(
      corrupt.stderr,
      /hint: run `tobira sso login --sso-session sandbox`; it writes the file anew/,
    );
    if (process.getuid?.() === 0) {
      writeFileSync(path, readFileSync(ssoTokenFile(f, START_URL)), { mode: 0o600 });
      chownSync(path, 4242, 4242);
      const foreign = await f.tobira(["export", SESSION_PROFILE]);
      assert.match(foreign.stderr, /belongs to another user \(uid 4242\)/);
    }
  });
});
