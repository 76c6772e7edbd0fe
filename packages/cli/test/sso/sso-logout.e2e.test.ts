// `tobira sso logout` end to end, as `aws sso logout` does it: the portal's Logout ends the token (the sandbox
// then refuses GetRoleCredentials with it), the token file, the AWS CLI's SSO credential files and tobira's own
// cached SSO sessions (and roles chained from them) go, and the next command — tobira's or the AWS SDK's
// fromSSO — asks for a new login. One login or all of them.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { GetRoleCredentialsCommand, LogoutCommand, SSOClient } from "@aws-sdk/client-sso";
import { fromSSO } from "@aws-sdk/credential-provider-sso";
import { BUILT, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";
import {
  addSsoProfiles,
  READONLY_PROFILE,
  SESSION_PROFILE,
  START_URL,
  ssoLogin,
  ssoTokenFile,
} from "../fixtures/sso-login.js";

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

interface Report {
  tokens: { file: string; startUrl?: string; ssoSession?: string; portalLogout: string }[];
  awsCliCredentials: string[];
  tobiraSessions: { profile: string; kind: string; roleName?: string; roleArn?: string }[];
}

describe("tobira sso logout", { skip: !BUILT && "run `npm run build` first" }, () => {
  let f: SandboxUser;
  const tokenFile = (id: string) => ssoTokenFile(f, id);
  const cliCache = () => join(f.root, ".aws", "cli", "cache");
  const portal = () => new SSOClient({ endpoint: f.sandbox.endpoint, region: "ap-northeast-1" });

  async function login(args: string[]) {
    const result = await ssoLogin(f, args);
    assert.equal(result.status, 0, result.stderr);
  }

  async function logout(args: string[]) {
    const result = await f.tobira(["sso", "logout", ...args, "--json"]);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout + result.stderr, /aoa|aor/, "no token in the output");
    return { report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
  }

  before(async () => {
    f = await startSandboxUser({ label: "sso-logout", extraConfig: "" });
    addSsoProfiles(f);
  });
  after(() => f?.close());

  it("--sso-session: Logout at the portal, the token, the AWS CLI's SSO files and tobira's sessions go", async () => {
    await login(["--sso-session", "sandbox"]);
    await login(["--profile", "sso-legacy"]);
    for (const profile of [SESSION_PROFILE, "sso-audit", "sso-legacy"]) {
      const exported = await f.tobira(["export", profile]);
      assert.equal(exported.code, 0, exported.stderr);
    }
    const token = JSON.parse(readFileSync(tokenFile("sandbox"), "utf8")) as { accessToken: string };
    // The AWS CLI v2's names (botocore's SSOCredentialFetcher): sha1 of the compact sorted JSON, by hand.
    mkdirSync(cliCache(), { recursive: true });
    const cliSso = join(
      cliCache(),
      `${sha1('{"accountId":"222222222222","roleName":"SessionOperator","sessionName":"sandbox"}')}.json`,
    );
    const cliLegacy = join(
      cliCache(),
      `${sha1(`{"accountId":"222222222222","roleName":"SessionOperator","startUrl":"${START_URL}"}`)}.json`,
    );
    const cliAssumed = join(cliCache(), "0123456789abcdef0123456789abcdef01234567.json");
    const credentials = { AccessKeyId: "ASIAEXAMPLE", SecretAccessKey: "x", SessionToken: "y" };
    writeFileSync(cliSso, JSON.stringify({ ProviderType: "sso", Credentials: credentials }));
    writeFileSync(cliLegacy, JSON.stringify({ ProviderType: "sso", Credentials: credentials }));
    writeFileSync(cliAssumed, JSON.stringify({ Credentials: credentials }));

    const { report, stderr } = await logout(["--sso-session", "sandbox"]);
    assert.deepEqual(report.tokens, [
      { file: tokenFile("sandbox"), startUrl: START_URL, ssoSession: "sandbox", portalLogout: "signed-out" },
    ]);
    assert.match(stderr, /signed out of sso-session sandbox and removed/);
    assert.deepEqual(report.awsCliCredentials, [cliSso]);
    assert.deepEqual(
      report.tobiraSessions.map((s) => `${s.profile} ${s.kind}`).sort(),
      [`${SESSION_PROFILE} sso-role`, `${READONLY_PROFILE} sso-role`, "sso-audit assume-role"].sort(),
    );
    assert.ok(!existsSync(tokenFile("sandbox")) && !existsSync(cliSso));
    assert.ok(
      existsSync(tokenFile(START_URL)) && existsSync(cliLegacy) && existsSync(cliAssumed),
      "others stay",
    );
    assert.equal(f.audit().filter((l) => l.action === "Logout" && l.decision === "Allow").length, 1);

    const refused = (await portal()
      .send(
        new GetRoleCredentialsCommand({
          accessToken: token.accessToken,
          accountId: "222222222222",
          roleName: "SessionOperator",
        }),
      )
      .catch((e: unknown) => e)) as { name?: string };
    assert.equal(refused.name, "UnauthorizedException", "the portal no longer takes the old token");
  });

  it("afterwards a command asks for a new login with the hint, and so does the SDK's fromSSO", async () => {
    for (const profile of [SESSION_PROFILE, "sso-audit"]) {
      const result = await f.tobira(["export", profile]);
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        /login of sso-session "sandbox" has not happened yet on this machine \(or was signed out\)/,
      );
      assert.match(result.stderr, /hint: run `tobira sso login --sso-session sandbox`/);
    }
    const legacy = await f.tobira(["export", "sso-legacy"]);
    assert.equal(legacy.code, 0, "the other login is untouched");
    const home = process.env.HOME;
    process.env.HOME = f.root;
    try {
      const provider = fromSSO({
        profile: SESSION_PROFILE,
        configFilepath: f.env.AWS_CONFIG_FILE!,
        filepath: f.env.AWS_SHARED_CREDENTIALS_FILE!,
        clientConfig: { endpoint: f.sandbox.endpoint },
      });
      const error = (await provider().then(
        () => undefined,
        (e: unknown) => e,
      )) as Error | undefined;
      assert.ok(error, "fromSSO fails after logout");
      assert.match(error.message, /token|login|SSO/i);
    } finally {
      process.env.HOME = home;
    }
  });

  it("without a flag, every login; a token the portal already ended is removed all the same", async () => {
    const legacy = JSON.parse(readFileSync(tokenFile(START_URL), "utf8")) as { accessToken: string };
    await portal().send(new LogoutCommand({ accessToken: legacy.accessToken }));
    const { report } = await logout([]);
    assert.deepEqual(report.tokens, [
      { file: tokenFile(START_URL), startUrl: START_URL, portalLogout: "already-invalid" },
    ]);
    assert.equal(report.awsCliCredentials.length, 1, "the legacy profile's AWS CLI file");
    assert.deepEqual(
      report.tobiraSessions.map((s) => s.profile),
      ["sso-legacy"],
    );
    assert.ok(existsSync(join(cliCache(), "0123456789abcdef0123456789abcdef01234567.json")), "not SSO: kept");
    const again = await logout([]);
    assert.deepEqual(again.report, { tokens: [], awsCliCredentials: [], tobiraSessions: [] });
    assert.match(again.stderr, /no IAM Identity Center login is cached; nothing to sign out of/);
  });
});
