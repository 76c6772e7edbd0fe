// The device page's sign-in, with real HTTP requests as a browser (or another local process) sends them: the
// page asks for a password first, a wrong one (or an unknown user) is refused without saying which, a decision
// without the sign-in's cookie (or with a forged one) is refused and leaves the code pending, and a signed-in
// user decides as themself whatever the form says. A world user without a password gets a random one.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from "@aws-sdk/client-sso-oidc";
import { defaultWorld, parseWorld, ssoSignInFor } from "../../src/index.js";
import { sandboxSuite, type TestSandbox } from "../server/sandbox-fixture.js";

const START_URL = "https://d-956700a1b2.awsapps.com/start";
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

function oidc(t: TestSandbox): SSOOIDCClient {
  return new SSOOIDCClient({ endpoint: t.sandbox.endpoint, region: "ap-northeast-1", maxAttempts: 1 });
}

async function deviceCode(t: TestSandbox) {
  const client = await oidc(t).send(new RegisterClientCommand({ clientName: "page", clientType: "public" }));
  const ids = { clientId: client.clientId!, clientSecret: client.clientSecret! };
  const device = await oidc(t).send(new StartDeviceAuthorizationCommand({ ...ids, startUrl: START_URL }));
  const poll = () =>
    oidc(t)
      .send(new CreateTokenCommand({ ...ids, grantType: DEVICE_GRANT, deviceCode: device.deviceCode! }))
      .then(
        () => "token",
        (e: { error?: string }) => e.error ?? "?",
      );
  return { userCode: device.userCode!, poll };
}

async function post(
  t: TestSandbox,
  fields: Record<string, string>,
  options: { cookie?: string; json?: boolean } = {},
) {
  const response = await fetch(`${t.sandbox.endpoint}/device`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(options.json === false ? {} : { accept: "application/json" }),
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await response.text();
  return { status: response.status, setCookie: response.headers.getSetCookie(), text };
}

describe("the sandbox's device page: sign in before approving", () => {
  const suite = sandboxSuite();

  it("shows a sign-in form, not Allow/Deny, to a browser without a sign-in", async () => {
    const { t } = suite;
    const { userCode } = await deviceCode(t);
    const page = await (await fetch(`${t.sandbox.endpoint}/device?user_code=${userCode}`)).text();
    assert.match(page, /<h1>Sign in<\/h1>/);
    assert.match(page, /name="password" type="password"/);
    assert.doesNotMatch(page, /value="allow"/);
  });

  it("a decision without a sign-in is refused (401) and the code stays pending", async () => {
    const { t } = suite;
    const { userCode, poll } = await deviceCode(t);
    const plain = await post(t, { user_code: userCode, user: "dave", decision: "allow" });
    assert.equal(plain.status, 401);
    assert.deepEqual(JSON.parse(plain.text), {
      error: "SignInRequired",
      message: "Sign in first: only a signed-in Identity Center user can allow or deny a device.",
    });
    const forged = await post(
      t,
      { user_code: userCode, decision: "allow" },
      { cookie: "tobira_sso_page=forged" },
    );
    assert.equal(forged.status, 401);
    const html = await post(t, { user_code: userCode, decision: "allow" }, { json: false });
    assert.equal(html.status, 401);
    assert.match(html.text, /Sign in first[\s\S]*name="password"/, "the browser gets the sign-in form back");
    assert.equal(await poll(), "authorization_pending");
    const refusals = t
      .auditLines()
      .filter((l) => l.action === "AuthorizeDevice" && l.decision === "SignInRequired");
    assert.equal(refusals.length, 3);
  });

  it("a wrong password and an unknown user get the same refusal, and no cookie", async () => {
    const { t } = suite;
    const { userCode, poll } = await deviceCode(t);
    const wrong = await post(t, {
      action: "signin",
      user: "dave",
      password: "erin-sandbox-pass",
      user_code: userCode,
    });
    const unknown = await post(t, { action: "signin", user: "mallory", password: "x", user_code: userCode });
    for (const refused of [wrong, unknown]) {
      assert.equal(refused.status, 401);
      assert.deepEqual(refused.setCookie, []);
      assert.deepEqual(JSON.parse(refused.text), {
        error: "InvalidCredentials",
        message: "The username or password is not right.",
      });
    }
    assert.equal(await poll(), "authorization_pending");
    assert.ok(
      !readFileSync(`${t.stateDir}/audit.jsonl`, "utf8").includes("erin-sandbox-pass"),
      "no password in the audit log",
    );
  });

  it("signed in, the user decides as themself: an HttpOnly SameSite=Strict cookie, the code approved as dave", async () => {
    const { t } = suite;
    const { userCode, poll } = await deviceCode(t);
    const signedIn = await post(t, {
      action: "signin",
      user: "dave",
      password: "dave-sandbox-pass",
      user_code: userCode,
    });
    assert.equal(signedIn.status, 200);
    assert.deepEqual(JSON.parse(signedIn.text), { signedIn: "dave" });
    const [setCookie] = signedIn.setCookie;
    assert.match(
      setCookie ?? "",
      /^tobira_sso_page=[\w-]{40,}; Path=\/device; HttpOnly; SameSite=Strict; Max-Age=3600$/,
    );
    const cookie = setCookie!.split(";")[0]!;
    const page = await (
      await fetch(`${t.sandbox.endpoint}/device?user_code=${userCode}`, { headers: { cookie } })
    ).text();
    assert.match(page, /Signed in to .* as Dave Operator \(dave\)/);
    assert.match(page, /value="allow"/);
    // The form's user field names nobody: the sign-in does.
    const decided = await post(t, { user_code: userCode, user: "erin", decision: "allow" }, { cookie });
    assert.equal(decided.status, 200);
    assert.deepEqual(JSON.parse(decided.text), { userCode, status: "approved", user: "dave" });
    assert.equal(await poll(), "token");
    t.advance(3601_000);
    const late = await deviceCode(t);
    const expired = await post(t, { user_code: late.userCode, decision: "allow" }, { cookie });
    assert.equal(expired.status, 401, "a sign-in lasts an hour");
  });

  it("world users: a password of the file, else a random one in world.json that ssoSignInFor reads", () => {
    const { t } = suite;
    assert.deepEqual(ssoSignInFor(t.stateDir), { user: "dave", password: "dave-sandbox-pass" });
    assert.deepEqual(ssoSignInFor(t.stateDir, "erin"), { user: "erin", password: "erin-sandbox-pass" });
    assert.throws(
      () => ssoSignInFor(t.stateDir, "mallory"),
      /No Identity Center user "mallory" \(users: dave, erin\)/,
    );
    const head = 'accounts:\n  - id: "111111111111"\nidentityCenter:\n  users:\n';
    const yaml = `${head}    - { name: frank }\n`;
    const [one, two] = [parseWorld(yaml, "t.yaml"), parseWorld(yaml, "t.yaml")];
    const first = one.identityCenter!.users[0]!.password;
    assert.ok(first.length >= 20 && first !== two.identityCenter!.users[0]!.password, "random, not derived");
    assert.throws(
      () => parseWorld(`${head}    - { name: frank, password: short }\n`, "t.yaml"),
      /identityCenter\.users\[0\]\.password.*at least 8 characters/s,
    );
    assert.equal(defaultWorld().identityCenter!.users[0]!.password, "dave-sandbox-pass");
  });
});
