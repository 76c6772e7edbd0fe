// IAM Identity Center in the sandbox, through the real @aws-sdk/client-sso-oidc and @aws-sdk/client-sso:
// the device flow and its OAuth errors (RFC 8628 §3.5), refresh tokens, the portal with the bearer token,
// role credentials that sign STS calls as the provisioned AWSReservedSSO role, chaining from it, Logout.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  LogoutCommand,
  SSOClient,
} from "@aws-sdk/client-sso";
import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from "@aws-sdk/client-sso-oidc";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { awsError, type Credentials, sandboxSuite, type TestSandbox } from "../server/sandbox-fixture.js";

const START_URL = "https://d-956700a1b2.awsapps.com/start";
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const SESSION_ROLE =
  "arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/ap-northeast-1/AWSReservedSSO_SessionOperator_d75c4bd293b1a7d5";

function oidc(t: TestSandbox): SSOOIDCClient {
  return new SSOOIDCClient({ endpoint: t.sandbox.endpoint, region: "ap-northeast-1", maxAttempts: 1 });
}
function portal(t: TestSandbox): SSOClient {
  return new SSOClient({ endpoint: t.sandbox.endpoint, region: "ap-northeast-1", maxAttempts: 1 });
}

/** The default world's passwords of the device page's sign-in. */
const PASSWORDS: Record<string, string> = { dave: "dave-sandbox-pass", erin: "erin-sandbox-pass" };

/** As a browser does: sign in on the device page as `user`, then allow or deny with its cookie. */
async function approve(t: TestSandbox, userCode: string, user = "dave", decision = "allow") {
  const form = (fields: Record<string, string>, cookie?: string) =>
    fetch(`${t.sandbox.endpoint}/device`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        ...(cookie ? { cookie } : {}),
      },
      body: new URLSearchParams(fields).toString(),
    });
  const signedIn = await form({
    action: "signin",
    user,
    password: PASSWORDS[user] ?? "",
    user_code: userCode,
  });
  assert.equal(signedIn.status, 200, `sign-in as ${user}`);
  const cookie = signedIn.headers.getSetCookie()[0]!.split(";")[0]!;
  const response = await form({ user_code: userCode, decision }, cookie);
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

async function register(t: TestSandbox, scopes?: string[]) {
  const client = await oidc(t).send(
    new RegisterClientCommand({ clientName: "test", clientType: "public", ...(scopes ? { scopes } : {}) }),
  );
  return { clientId: client.clientId!, clientSecret: client.clientSecret! };
}

async function start(t: TestSandbox, client: { clientId: string; clientSecret: string }) {
  return oidc(t).send(new StartDeviceAuthorizationCommand({ ...client, startUrl: START_URL }));
}

/** Registers, starts, approves as `user`, and redeems: a signed-in token. */
async function signIn(t: TestSandbox, user = "dave") {
  const client = await register(t, ["sso:account:access"]);
  const device = await start(t, client);
  assert.equal((await approve(t, device.userCode!, user)).status, 200);
  const token = await oidc(t).send(
    new CreateTokenCommand({ ...client, grantType: DEVICE_GRANT, deviceCode: device.deviceCode! }),
  );
  return { client, token };
}

describe("IAM Identity Center: the OIDC device flow", () => {
  const suite = sandboxSuite();

  it("registers a client and starts a device authorization on the loopback page", async () => {
    const { t } = suite;
    const client = await register(t);
    assert.ok(client.clientId.length > 10 && client.clientSecret.length > 40);
    const device = await start(t, client);
    assert.match(device.userCode ?? "", /^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
    assert.equal(device.verificationUri, `${t.sandbox.endpoint}/device`);
    assert.equal(device.verificationUriComplete, `${t.sandbox.endpoint}/device?user_code=${device.userCode}`);
    assert.equal(device.expiresIn, 600);
    assert.equal(device.interval, 1);
    const page = await (await fetch(device.verificationUriComplete!)).text();
    assert.match(page, new RegExp(`value="${device.userCode}"`));
    assert.match(page, /<h1>Sign in<\/h1>[\s\S]*name="password" type="password"/);
  });

  it("answers authorization_pending, then slow_down when polled faster than the interval, then the token", async () => {
    const { t } = suite;
    const client = await register(t, ["sso:account:access"]);
    const device = await start(t, client);
    const poll = () =>
      oidc(t).send(
        new CreateTokenCommand({ ...client, grantType: DEVICE_GRANT, deviceCode: device.deviceCode! }),
      );
    const pending = (await poll().catch((e: unknown) => e)) as {
      name: string;
      error: string;
      $metadata: { httpStatusCode: number };
    };
    assert.equal(pending.name, "AuthorizationPendingException");
    assert.equal(pending.error, "authorization_pending");
    assert.equal(pending.$metadata.httpStatusCode, 400);
    const slow = (await poll().catch((e: unknown) => e)) as { name: string; error: string };
    assert.equal(slow.name, "SlowDownException");
    assert.equal(slow.error, "slow_down");
    t.advance(6_000); // the interval grew by 5 seconds
    assert.equal(
      ((await poll().catch((e: unknown) => e)) as { name: string }).name,
      "AuthorizationPendingException",
    );
    assert.deepEqual((await approve(t, device.userCode!)).body, {
      userCode: device.userCode,
      status: "approved",
      user: "dave",
    });
    t.advance(6_000);
    const token = await poll();
    assert.equal(token.tokenType, "Bearer");
    assert.equal(token.expiresIn, 28800);
    assert.match(token.accessToken ?? "", /^aoa/);
    assert.match(token.refreshToken ?? "", /^aor/);
    t.advance(6_000);
    const again = (await poll().catch((e: unknown) => e)) as { name: string; error: string };
    assert.equal(again.name, "InvalidGrantException", "a device code is redeemed once");
    assert.equal(again.error, "invalid_grant");
  });

  it("answers access_denied after the user denies, and expired_token after ten minutes", async () => {
    const { t } = suite;
    const client = await register(t);
    const denied = await start(t, client);
    assert.equal((await approve(t, denied.userCode!, "dave", "deny")).body.status, "denied");
    const deniedError = (await oidc(t)
      .send(new CreateTokenCommand({ ...client, grantType: DEVICE_GRANT, deviceCode: denied.deviceCode! }))
      .catch((e: unknown) => e)) as { name: string; error: string };
    assert.equal(deniedError.name, "AccessDeniedException");
    assert.equal(deniedError.error, "access_denied");
    const late = await start(t, client);
    t.advance(601_000);
    const expired = (await oidc(t)
      .send(new CreateTokenCommand({ ...client, grantType: DEVICE_GRANT, deviceCode: late.deviceCode! }))
      .catch((e: unknown) => e)) as { name: string; error: string };
    assert.equal(expired.name, "ExpiredTokenException");
    assert.equal(expired.error, "expired_token");
    assert.equal((await approve(t, late.userCode!)).status, 410);
  });

  it("refuses a wrong client secret, an unknown start URL and an unknown grant type", async () => {
    const { t } = suite;
    const client = await register(t);
    const badSecret = await awsError(start(t, { ...client, clientSecret: "x".repeat(64) }));
    assert.equal(badSecret.name, "InvalidClientException");
    assert.equal(badSecret.status, 401);
    const badUrl = (await oidc(t)
      .send(
        new StartDeviceAuthorizationCommand({
          ...client,
          startUrl: "https://d-0000000000.awsapps.com/start",
        }),
      )
      .catch((e: unknown) => e)) as { name: string; error: string; error_description: string };
    assert.equal(badUrl.name, "InvalidRequestException");
    assert.equal(badUrl.error, "invalid_request");
    assert.match(badUrl.error_description, /is not this instance's \(https:\/\/d-956700a1b2/);
    const grant = await awsError(oidc(t).send(new CreateTokenCommand({ ...client, grantType: "password" })));
    assert.equal(grant.name, "UnsupportedGrantTypeException");
  });

  it("refreshes with the refresh token (rotating it), and gives none to clients registered without scopes", async () => {
    const { t } = suite;
    const { client, token } = await signIn(t);
    const refreshed = await oidc(t).send(
      new CreateTokenCommand({ ...client, grantType: "refresh_token", refreshToken: token.refreshToken! }),
    );
    assert.notEqual(refreshed.accessToken, token.accessToken);
    assert.notEqual(refreshed.refreshToken, token.refreshToken);
    const reused = (await oidc(t)
      .send(
        new CreateTokenCommand({ ...client, grantType: "refresh_token", refreshToken: token.refreshToken! }),
      )
      .catch((e: unknown) => e)) as { name: string; error: string };
    assert.equal(reused.name, "InvalidGrantException");
    assert.equal(reused.error, "invalid_grant");
    const legacy = await register(t);
    const device = await start(t, legacy);
    await approve(t, device.userCode!);
    const plain = await oidc(t).send(
      new CreateTokenCommand({ ...legacy, grantType: DEVICE_GRANT, deviceCode: device.deviceCode! }),
    );
    assert.equal(plain.refreshToken, undefined);
  });
});

describe("IAM Identity Center: the access portal", () => {
  const suite = sandboxSuite();

  it("lists dave's accounts and permission sets, and gives role credentials that act as the AWSReservedSSO role", async () => {
    const { t } = suite;
    const { token } = await signIn(t);
    const accessToken = token.accessToken!;
    const accounts = await portal(t).send(new ListAccountsCommand({ accessToken }));
    assert.deepEqual(accounts.accountList?.map((a) => [a.accountId, a.accountName]).sort(), [
      ["111111111111", "central"],
      ["222222222222", "workload"],
    ]);
    const roles = await portal(t).send(
      new ListAccountRolesCommand({ accessToken, accountId: "222222222222" }),
    );
    assert.deepEqual(roles.roleList, [{ roleName: "SessionOperator", accountId: "222222222222" }]);
    const before = t.now();
    const answer = await portal(t).send(
      new GetRoleCredentialsCommand({ accessToken, accountId: "222222222222", roleName: "SessionOperator" }),
    );
    const c = answer.roleCredentials!;
    assert.match(c.accessKeyId ?? "", /^ASIA/);
    assert.ok(
      Math.abs((c.expiration ?? 0) - (before + 28800_000)) < 5_000,
      "the permission set's 8 hours, in epoch ms",
    );
    const credentials: Credentials = {
      accessKeyId: c.accessKeyId!,
      secretAccessKey: c.secretAccessKey!,
      sessionToken: c.sessionToken!,
    };
    const me = await t.sts(credentials).send(new GetCallerIdentityCommand({}));
    assert.equal(
      me.Arn,
      "arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_SessionOperator_d75c4bd293b1a7d5/dave",
    );
    assert.ok(t.world.roles.some((r) => r.arn === SESSION_ROLE));
    const audit = t.auditLines().find((line) => line.action === "GetRoleCredentials");
    assert.equal(audit?.service, "sso");
    assert.equal(audit?.decision, "Allow");
    assert.ok(!JSON.stringify(t.auditLines()).includes(accessToken), "no token in the audit log");
  });

  it("chains from the ReadOnly role into a role that trusts it by pattern", async () => {
    const { t } = suite;
    const { token } = await signIn(t);
    const c = (
      await portal(t).send(
        new GetRoleCredentialsCommand({
          accessToken: token.accessToken!,
          accountId: "111111111111",
          roleName: "ReadOnly",
        }),
      )
    ).roleCredentials!;
    const chained = await t
      .sts({
        accessKeyId: c.accessKeyId!,
        secretAccessKey: c.secretAccessKey!,
        sessionToken: c.sessionToken!,
      })
      .send(
        new AssumeRoleCommand({
          RoleArn: "arn:aws:iam::222222222222:role/audit-from-sso",
          RoleSessionName: "dave",
        }),
      );
    assert.equal(chained.AssumedRoleUser?.Arn, "arn:aws:sts::222222222222:assumed-role/audit-from-sso/dave");
  });

  it("refuses a set that is not assigned (ForbiddenException), a missing or unknown token (401), and a user without assignments sees nothing", async () => {
    const { t } = suite;
    const { token } = await signIn(t);
    const notMine = await awsError(
      portal(t).send(
        new GetRoleCredentialsCommand({
          accessToken: token.accessToken!,
          accountId: "111111111111",
          roleName: "SessionOperator",
        }),
      ),
    );
    assert.equal(notMine.name, "ForbiddenException");
    assert.equal(notMine.status, 403);
    const unknown = await awsError(
      portal(t).send(new ListAccountsCommand({ accessToken: "aoa-not-a-token" })),
    );
    assert.equal(unknown.name, "UnauthorizedException");
    assert.equal(unknown.message, "Session token not found or invalid");
    assert.equal(unknown.status, 401);
    const erin = await signIn(t, "erin");
    const none = await portal(t).send(new ListAccountsCommand({ accessToken: erin.token.accessToken! }));
    assert.deepEqual(none.accountList, []);
  });

  it("ends the sign-in on Logout (access and refresh tokens), and after the token's 8 hours", async () => {
    const { t } = suite;
    const { client, token } = await signIn(t);
    await portal(t).send(new LogoutCommand({ accessToken: token.accessToken! }));
    const after = await awsError(
      portal(t).send(new ListAccountsCommand({ accessToken: token.accessToken! })),
    );
    assert.equal(after.name, "UnauthorizedException");
    const refresh = await awsError(
      oidc(t).send(
        new CreateTokenCommand({ ...client, grantType: "refresh_token", refreshToken: token.refreshToken! }),
      ),
    );
    assert.equal(refresh.name, "InvalidGrantException");
    const second = await signIn(t);
    t.advance(28_801_000);
    const expired = await awsError(
      portal(t).send(new ListAccountsCommand({ accessToken: second.token.accessToken! })),
    );
    assert.equal(expired.name, "UnauthorizedException");
  });

  it("keeps logins across a restart", async () => {
    const { t } = suite;
    const { token } = await signIn(t);
    await t.restart();
    const accounts = await portal(t).send(new ListAccountsCommand({ accessToken: token.accessToken! }));
    assert.equal(accounts.accountList?.length, 2);
  });
});
