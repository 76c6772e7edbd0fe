// `tobira sandbox sso approve CODE` through the built CLI against a detached sandbox: the code a real
// @aws-sdk/client-sso-oidc device flow got is approved or denied, and bad codes get a clear error.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from "@aws-sdk/client-sso-oidc";
import { endpointFrom, makeStateDir, tobira } from "./built-cli.js";

const START_URL = "https://d-956700a1b2.awsapps.com/start";
const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

describe("tobira sandbox sso approve", () => {
  const state = makeStateDir("sso-approve");
  let oidc: SSOOIDCClient;
  let client: { clientId: string; clientSecret: string };

  before(async () => {
    const up = await tobira(["sandbox", "up", "--detach", "--state", state.dir]);
    assert.equal(up.code, 0, up.stderr);
    oidc = new SSOOIDCClient({ endpoint: endpointFrom(up.stdout), region: "ap-northeast-1", maxAttempts: 1 });
    const registered = await oidc.send(new RegisterClientCommand({ clientName: "t", clientType: "public" }));
    client = { clientId: registered.clientId!, clientSecret: registered.clientSecret! };
  });

  after(async () => {
    await tobira(["sandbox", "down", "--state", state.dir]);
    state.remove();
  });

  const startFlow = () => oidc.send(new StartDeviceAuthorizationCommand({ ...client, startUrl: START_URL }));
  const redeem = (deviceCode: string) =>
    oidc.send(new CreateTokenCommand({ ...client, grantType: DEVICE_GRANT, deviceCode }));

  test("approves a device code as dave, and the client's next poll gets the token", async () => {
    const device = await startFlow();
    const approve = await tobira([
      "sandbox",
      "sso",
      "approve",
      device.userCode!,
      "--user",
      "dave",
      "--json",
      "--state",
      state.dir,
    ]);
    assert.equal(approve.code, 0, approve.stderr);
    assert.deepEqual(JSON.parse(approve.stdout), {
      userCode: device.userCode,
      status: "approved",
      user: "dave",
    });
    const token = await redeem(device.deviceCode!);
    assert.match(token.accessToken ?? "", /^aoa/);
  });

  test("--deny makes the client's poll fail with access_denied", async () => {
    const device = await startFlow();
    const deny = await tobira([
      "sandbox",
      "sso",
      "approve",
      device.userCode!,
      "--deny",
      "--state",
      state.dir,
    ]);
    assert.equal(deny.code, 0, deny.stderr);
    assert.equal(deny.stdout, `dave denied ${device.userCode}\n`);
    const error = (await redeem(device.deviceCode!).catch((e: unknown) => e)) as { error?: string };
    assert.equal(error.error, "access_denied");
  });

  test("an unknown code, an answered one, an unknown user: one clear line each", async () => {
    const unknown = await tobira(["sandbox", "sso", "approve", "ZZZZ-ZZZZ", "--state", state.dir]);
    assert.equal(unknown.code, 1);
    assert.match(
      unknown.stderr,
      /the sandbox refused the code ZZZZ-ZZZZ: No device authorization has the code "ZZZZ-ZZZZ"/,
    );
    const device = await startFlow();
    await tobira(["sandbox", "sso", "approve", device.userCode!, "--state", state.dir]);
    const twice = await tobira(["sandbox", "sso", "approve", device.userCode!, "--state", state.dir]);
    assert.match(twice.stderr, /was already approved/);
    const other = await startFlow();
    const nobody = await tobira([
      "sandbox",
      "sso",
      "approve",
      other.userCode!,
      "--user",
      "mallory",
      "--state",
      state.dir,
    ]);
    assert.match(nobody.stderr, /No Identity Center user "mallory" \(users: dave, erin\)/);
  });

  test("without a running sandbox it says how to start one", async () => {
    const empty = makeStateDir("sso-approve-none");
    const result = await tobira(["sandbox", "sso", "approve", "BCDF-GHJK", "--state", empty.dir]);
    empty.remove();
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no sandbox is running with the state folder/);
    assert.match(result.stderr, /hint: start one with `tobira sandbox up --detach/);
  });
});
