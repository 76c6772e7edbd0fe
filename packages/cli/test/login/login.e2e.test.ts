// `tobira login` as a user runs it, against the sandbox's federation endpoint: the printed URL signs in once
// and the page names the assumed role; a forged token is refused; an IAM user profile goes through
// GetFederationToken with a warning that the console session has no MFA.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { defaultWorld } from "../../../sandbox/src/index.js";
import { BUILT, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";

const NO_MFA_WARNING =
  /profile 'alice' is an IAM user without a role: its console session comes from GetFederationToken and carries no MFA/;

async function open(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

function onlyUrl(stdout: string, endpoint: string): string {
  const lines = stdout.trim().split("\n");
  assert.equal(lines.length, 1, `one line on stdout: ${stdout}`);
  const url = lines[0]!;
  assert.ok(url.startsWith(`${endpoint}/federation?Action=login&`), url);
  return url;
}

describe("tobira login against the sandbox", { skip: !BUILT && "run `npm run build` first" }, () => {
  let f: SandboxUser;
  before(async () => {
    f = await startSandboxUser({ label: "login" });
  });
  after(() => f?.close());

  it("prints a URL that signs in once as the assumed role, with MFA", async () => {
    const result = await f.tobira(["login", "project-a", "--print", "--path", "ec2"]);
    assert.equal(result.code, 0, result.stderr);
    const url = onlyUrl(result.stdout, f.sandbox.endpoint);
    const token = new URL(url).searchParams.get("SigninToken") ?? "";
    assert.ok(token.length > 40);
    assert.ok(!result.stderr.includes(token), "the sign-in token never reaches stderr");

    const page = await open(url);
    assert.equal(page.status, 200);
    assert.match(page.text, /arn:aws:sts::222222222222:assumed-role\/project-a-operator\/alice/);
    assert.match(page.text, /<th>MFA<\/th><td>present<\/td>/);
    assert.match(page.text, /https:\/\/console\.aws\.amazon\.com\/ec2\/home\?region=ap-northeast-1/);

    const reused = await open(url);
    assert.equal(reused.status, 400);
    assert.match(reused.text, /already used/);

    const forgedUrl = new URL(url);
    forgedUrl.searchParams.set("SigninToken", `${token.slice(0, -4)}AAAA`);
    const forged = await open(forgedUrl.toString());
    assert.equal(forged.status, 400);
    assert.match(forged.text, /not issued by this endpoint/);

    const audit = f.audit().filter((line) => line.service === "signin");
    assert.deepEqual(
      audit.map((line) => [line.action, line.decision]),
      [
        ["getSigninToken", "Allow"],
        ["login", "Allow"],
        ["login", "UsedSigninToken"],
        ["login", "InvalidSigninToken"],
      ],
    );
  });

  it("asks for a console session as long as --duration for a role assumed straight from the keys", async () => {
    const before = Date.now();
    const result = await f.tobira(["login", "switch", "--print", "--duration", "2h"]);
    assert.equal(result.code, 0, result.stderr);
    const page = await open(onlyUrl(result.stdout, f.sandbox.endpoint));
    assert.match(page.text, /assumed-role\/Role-for-switch\/alice/);
    const ends = Date.parse(/<th>Console session ends<\/th><td>([^<]+)<\/td>/.exec(page.text)?.[1] ?? "");
    assert.ok(ends >= before + 2 * 3600_000 - 60_000, "SessionDuration=7200 reached the endpoint");
  });

  it("prints the URL when no browser can be opened", async () => {
    const result = await f.tobira(["login", "project-a"]);
    assert.equal(result.code, 0, result.stderr);
    onlyUrl(result.stdout, f.sandbox.endpoint);
    assert.match(result.stderr, /no browser could be opened here/);
    assert.doesNotMatch(result.stderr, /SigninToken/);
  });

  it("for alice's user profile takes the GetFederationToken path, warns, and explains the refusal", async () => {
    // The default world denies alice everything without MFA, and GetFederationToken takes no MFA code.
    const result = await f.tobira(["login", "alice", "--print"]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, NO_MFA_WARNING);
    assert.match(result.stderr, /GetFederationToken for profile 'alice' failed: AccessDenied/);
    assert.match(result.stderr, /hint: .*sign in through a role profile with mfa_serial/);
    const denied = f.audit().filter((line) => line.action === "GetFederationToken");
    assert.equal(denied.length, 1);
    assert.equal(denied[0]?.decision, "ExplicitDeny");
  });
});

describe("tobira login for an IAM user allowed GetFederationToken", {
  skip: !BUILT && "run `npm run build` first",
}, () => {
  let f: SandboxUser;
  before(async () => {
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
    f = await startSandboxUser({ label: "login-user", world });
  });
  after(() => f?.close());

  it("signs in as the federated user, without MFA, and says so", async () => {
    const result = await f.tobira(["login", "alice", "--print"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, NO_MFA_WARNING);
    const page = await open(onlyUrl(result.stdout, f.sandbox.endpoint));
    assert.equal(page.status, 200);
    assert.match(page.text, /arn:aws:sts::111111111111:federated-user\/alice/);
    assert.match(page.text, /<th>MFA<\/th><td>not present<\/td>/);
    assert.equal(f.mfaPrompts(), 0, "no MFA code is asked for: GetFederationToken takes none");
    assert.ok(!result.stderr.includes(f.aliceKey.secretAccessKey));
  });
});
