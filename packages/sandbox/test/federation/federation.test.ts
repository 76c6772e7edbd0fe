// The console federation endpoint: which credentials may sign in, SessionDuration's rules, single-use
// sign-in tokens that expire, the page that names who signed in, and one audit line per call.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AssumeRoleCommand, GetFederationTokenCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { defaultWorld } from "../../src/world/index.js";
import {
  ALICE_MFA,
  type Credentials,
  credentialsOf,
  PROJECT_A_ROLE,
  SWITCH_ROLE,
  startTestSandbox,
  type TestSandbox,
} from "../server/sandbox-fixture.js";

const CONSOLE = "https://console.aws.amazon.com/ec2/home?region=ap-northeast-1";

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

function sessionJson(c: Credentials): string {
  return JSON.stringify({
    sessionId: c.accessKeyId,
    sessionKey: c.secretAccessKey,
    sessionToken: c.sessionToken,
  });
}

describe("the federation endpoint", () => {
  let t: TestSandbox;
  let roleFromKeys: Credentials;

  const call = async (params: Record<string, string>, method: "GET" | "POST" = "GET"): Promise<Answer> => {
    const query = new URLSearchParams(params).toString();
    const url = `${t.sandbox.endpoint}/federation${method === "GET" ? `?${query}` : ""}`;
    const response = await fetch(url, {
      method,
      ...(method === "POST"
        ? { body: query, headers: { "content-type": "application/x-www-form-urlencoded" } }
        : {}),
    });
    return {
      status: response.status,
      contentType: response.headers.get("content-type") ?? "",
      text: await response.text(),
    };
  };
  const signinToken = async (c: Credentials, extra: Record<string, string> = {}) => {
    const answer = await call({ Action: "getSigninToken", Session: sessionJson(c), ...extra });
    assert.equal(answer.status, 200, answer.text);
    const token = (JSON.parse(answer.text) as { SigninToken?: string }).SigninToken;
    assert.ok(token && token.length >= 40, "a long random token");
    return token;
  };
  const login = (token: string, extra: Record<string, string> = {}) =>
    call({ Action: "login", Issuer: "test", Destination: CONSOLE, SigninToken: token, ...extra });
  const errorCode = (answer: Answer) => (JSON.parse(answer.text) as { Error: { Code: string } }).Error.Code;

  before(async () => {
    // The default world, plus a trust that lets a Role-for-switch session chain into project-a-operator.
    const world = defaultWorld();
    const projectA = world.roles.find((r) => r.arn === PROJECT_A_ROLE);
    assert.ok(projectA);
    const statements = projectA.trust.Statement;
    projectA.trust.Statement = [
      ...(Array.isArray(statements) ? statements : [statements]),
      { Effect: "Allow", Principal: { AWS: SWITCH_ROLE }, Action: "sts:AssumeRole" },
    ];
    t = await startTestSandbox({ world });
    roleFromKeys = credentialsOf(
      await t.sts(t.keysOf("alice")).send(
        new AssumeRoleCommand({
          RoleArn: SWITCH_ROLE,
          RoleSessionName: "alice",
          SerialNumber: ALICE_MFA,
          TokenCode: t.code(ALICE_MFA),
          DurationSeconds: 7200,
        }),
      ),
    );
  });
  after(() => t.dispose());

  it("signs in role credentials once and shows who signed in, with MFA", async () => {
    const token = await signinToken(roleFromKeys, { SessionDuration: "43200" });
    const page = await login(token);
    assert.equal(page.status, 200);
    assert.match(page.contentType, /text\/html/);
    assert.match(page.text, /arn:aws:sts::222222222222:assumed-role\/Role-for-switch\/alice/);
    assert.match(page.text, /<th>Account<\/th><td>222222222222<\/td>/);
    assert.match(page.text, /<th>MFA<\/th><td>present<\/td>/);
    assert.match(page.text, /console\.aws\.amazon\.com\/ec2\/home\?region=ap-northeast-1/);

    const again = await login(token);
    assert.equal(again.status, 400);
    assert.match(again.text, /already used/);
  });

  it("takes getSigninToken as a POST with a form body too", async () => {
    const answer = await call({ Action: "getSigninToken", Session: sessionJson(roleFromKeys) }, "POST");
    assert.equal(answer.status, 200, answer.text);
    assert.ok((JSON.parse(answer.text) as { SigninToken: string }).SigninToken);
  });

  it("refuses a forged sign-in token", async () => {
    const forged = await login("A".repeat(64));
    assert.equal(forged.status, 400);
    assert.match(forged.text, /not issued by this endpoint/);
  });

  it("refuses a sign-in token after 15 minutes", async () => {
    const token = await signinToken(roleFromKeys);
    t.advance(15 * 60 * 1000 + 1000);
    try {
      const late = await login(token);
      assert.equal(late.status, 400);
      assert.match(late.text, /expired/);
    } finally {
      t.advance(-(15 * 60 * 1000 + 1000));
    }
  });

  it("refuses long-term keys, GetSessionToken credentials, wrong secrets and expired credentials", async () => {
    const keys = t.keysOf("alice");
    const longTerm = await call({
      Action: "getSigninToken",
      Session: JSON.stringify({
        sessionId: keys.accessKeyId,
        sessionKey: keys.secretAccessKey,
        sessionToken: "x",
      }),
    });
    assert.equal(longTerm.status, 403);
    assert.match(longTerm.text, /long-term keys/);

    const noToken = await call({
      Action: "getSigninToken",
      Session: JSON.stringify({ sessionId: keys.accessKeyId, sessionKey: keys.secretAccessKey }),
    });
    assert.equal(noToken.status, 403);

    const sessionToken = credentialsOf(
      await t.sts(t.keysOf("bob")).send(
        new GetSessionTokenCommand({
          SerialNumber: "arn:aws:iam::111111111111:mfa/bob",
          TokenCode: t.code("arn:aws:iam::111111111111:mfa/bob"),
        }),
      ),
    );
    const gst = await call({ Action: "getSigninToken", Session: sessionJson(sessionToken) });
    assert.equal(gst.status, 403);
    assert.match(gst.text, /GetSessionToken credentials cannot sign in/);

    const wrongSecret = await call({
      Action: "getSigninToken",
      Session: sessionJson({
        ...roleFromKeys,
        // A different last character, whatever it was: swapping in a fixed "A" left the secret
        // right whenever it already ended in "A" (one run in 64).
        secretAccessKey: `${roleFromKeys.secretAccessKey.slice(0, -1)}${
          roleFromKeys.secretAccessKey.endsWith("A") ? "B" : "A"
        }`,
      }),
    });
    assert.equal(wrongSecret.status, 403);
    assert.equal(errorCode(wrongSecret), "InvalidCredentials");

    t.advance(3 * 3600 * 1000);
    try {
      const expired = await call({ Action: "getSigninToken", Session: sessionJson(roleFromKeys) });
      assert.equal(expired.status, 403);
      assert.equal(errorCode(expired), "ExpiredToken");
    } finally {
      t.advance(-3 * 3600 * 1000);
    }
  });

  it("accepts SessionDuration from 900 to 43200 only", async () => {
    for (const bad of ["899", "43201", "3600s", ""]) {
      const answer = await call({
        Action: "getSigninToken",
        Session: sessionJson(roleFromKeys),
        SessionDuration: bad,
      });
      assert.equal(answer.status, 400, `SessionDuration=${bad}`);
      assert.equal(errorCode(answer), "InvalidSessionDuration");
    }
    await signinToken(roleFromKeys, { SessionDuration: "900" });
  });

  it("refuses SessionDuration for a chained role session, and signs it in without", async () => {
    const chained = credentialsOf(
      await t
        .sts(roleFromKeys)
        .send(new AssumeRoleCommand({ RoleArn: PROJECT_A_ROLE, RoleSessionName: "alice" })),
    );
    const refused = await call({
      Action: "getSigninToken",
      Session: sessionJson(chained),
      SessionDuration: "3600",
    });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /role chaining/);
    const page = await login(await signinToken(chained));
    assert.match(page.text, /assumed-role\/project-a-operator\/alice/);
  });

  it("refuses a destination outside the AWS console, and escapes what it shows", async () => {
    const token = await signinToken(roleFromKeys);
    const elsewhere = await login(token, { Destination: "https://evil.example/console.aws.amazon.com" });
    assert.equal(elsewhere.status, 400);
    assert.match(elsewhere.text, /Destination must be/);
    const page = await login(token, { Issuer: "<script>alert(1)</script>" });
    assert.equal(page.status, 200, "a refused destination does not spend the token");
    assert.doesNotMatch(page.text, /<script>/);
    assert.match(page.text, /&lt;script&gt;/);
  });

  it("refuses other methods and actions", async () => {
    const put = await fetch(`${t.sandbox.endpoint}/federation?Action=login`, { method: "PUT" });
    assert.equal(put.status, 405);
    const unknown = await call({ Action: "getSigninTokens" });
    assert.equal(unknown.status, 400);
    assert.equal(errorCode(unknown), "InvalidAction");
  });

  it("writes one audit line per call, never a secret", async () => {
    const before = t.auditLines().length;
    const token = await signinToken(roleFromKeys);
    await login(token);
    await login(token);
    const lines = t.auditLines().slice(before);
    assert.deepEqual(
      lines.map((l) => [l.service, l.action, l.decision, l.status]),
      [
        ["signin", "getSigninToken", "Allow", 200],
        ["signin", "login", "Allow", 200],
        ["signin", "login", "UsedSigninToken", 400],
      ],
    );
    assert.equal(lines[1]?.principalArn, "arn:aws:sts::222222222222:assumed-role/Role-for-switch/alice");
    assert.equal(lines[1]?.mfa, true);
    const text = JSON.stringify(lines);
    assert.ok(!text.includes(roleFromKeys.secretAccessKey));
    assert.ok(!text.includes(roleFromKeys.sessionToken ?? "?"));
    assert.ok(!text.includes(token));
  });
});

describe("the federation endpoint with GetFederationToken credentials", () => {
  let t: TestSandbox;
  let federated: Credentials;
  before(async () => {
    // A world where alice may call GetFederationToken with her keys (the default world's group denies it
    // without MFA, and GetFederationToken takes no MFA code).
    const world = defaultWorld();
    const alice = world.users.find((u) => u.name === "alice");
    assert.ok(alice);
    alice.groups = [];
    alice.inlinePolicies = {
      console: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["sts:GetFederationToken", "ec2:Describe*"], Resource: "*" }],
      },
    };
    t = await startTestSandbox({ world });
    federated = credentialsOf(
      await t.sts(t.keysOf("alice")).send(
        new GetFederationTokenCommand({
          Name: "alice",
          DurationSeconds: 3600,
          Policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
          }),
        }),
      ),
    );
  });
  after(() => t.dispose());

  it("refuses SessionDuration, and signs in without it, showing no MFA", async () => {
    const refused = await fetch(
      `${t.sandbox.endpoint}/federation?${new URLSearchParams({ Action: "getSigninToken", SessionDuration: "3600", Session: sessionJson(federated) })}`,
    );
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /not allowed with GetFederationToken credentials/);

    const answer = await fetch(
      `${t.sandbox.endpoint}/federation?${new URLSearchParams({ Action: "getSigninToken", Session: sessionJson(federated) })}`,
    );
    const { SigninToken } = (await answer.json()) as { SigninToken: string };
    const page = await fetch(
      `${t.sandbox.endpoint}/federation?${new URLSearchParams({ Action: "login", Destination: CONSOLE, SigninToken })}`,
    );
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.match(html, /arn:aws:sts::111111111111:federated-user\/alice/);
    assert.match(html, /<th>MFA<\/th><td>not present<\/td>/);
  });
});
