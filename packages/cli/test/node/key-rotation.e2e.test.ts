// The simulated agent rotates its own RSA key pair (Profile.KeyAutoRotateDays): run with a rotation period
// of a day on a schedule 86400 times faster, it registers new keys with UpdateManagedInstancePublicKey
// (signed by the old key) and keeps the last in its vault; the sandbox then takes requests signed with that
// key and refuses the first key. Without KeyAutoRotateDays the key stays.
import assert from "node:assert/strict";
import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { AgentCallError, requestRoleToken } from "../../src/node-agent/agent-client.js";
import { parseGoTime } from "../../src/node-agent/key-rotation.js";
import { BUILT, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";
import { hybridAdmin, newActivation, REGION, registerNode } from "./hybrid-fixture.js";

interface Vault {
  instanceID: string;
  privateKey: string;
  privateKeyCreatedDate: string;
}

const vaultOf = (dir: string) =>
  JSON.parse(readFileSync(join(dir, "Vault", "Store", "RegistrationKey"), "utf8")) as Vault;
const fingerprintOf = (dir: string) =>
  (
    JSON.parse(readFileSync(join(dir, "Vault", "Store", "InstanceFingerprint"), "utf8")) as {
      fingerprint: string;
    }
  ).fingerprint;

describe("the simulated agent's key rotation", { skip: !BUILT && "run `npm run build` first" }, () => {
  let fx: SandboxUser;
  before(async () => {
    fx = await startSandboxUser({ label: "key-rotation" });
  });
  after(async () => {
    await fx?.close();
  });

  /** Whether the sandbox takes a token request signed with this vault key. */
  const accepted = async (dir: string, privateKey: string): Promise<string> => {
    const key = createPrivateKey({ key: Buffer.from(privateKey, "base64"), format: "der", type: "pkcs1" });
    try {
      await requestRoleToken(
        { endpoint: fx.sandbox.endpoint, region: REGION },
        { id: vaultOf(dir).instanceID, key },
        fingerprintOf(dir),
      );
      return "accepted";
    } catch (error) {
      if (error instanceof AgentCallError) return error.code ?? "refused";
      throw error;
    }
  };

  test("rotates at KeyAutoRotateDays in agent time; the new key is taken, the old refused", async () => {
    const admin = await hybridAdmin(fx);
    const { nodeId, nodeDir } = await registerNode(
      fx,
      await newActivation(admin),
      join(fx.root, "rotating"),
      ["--key-auto-rotate-days", "1"],
    );
    const config = JSON.parse(readFileSync(join(nodeDir, "amazon-ssm-agent.json"), "utf8"));
    assert.deepEqual(config.Profile, { KeyAutoRotateDays: 1 });
    const first = vaultOf(nodeDir);
    const run = fx.spawnTobira(["sandbox", "node", "run", "--speed", "86400", "--node-dir", nodeDir]);
    try {
      // A day of agent time is a second here: wait for two rotations.
      await Promise.race([
        run.waitFor(/rotated the key pair[\s\S]*rotated the key pair/),
        run.waitFor(/key rotation failed.*/).then((m) => assert.fail(m[0])),
      ]);
    } finally {
      run.child.kill("SIGTERM");
      await run.exited;
    }
    assert.doesNotMatch(run.stdout(), /key rotation failed/);
    const last = vaultOf(nodeDir);
    assert.notEqual(last.privateKey, first.privateKey);
    assert.ok(parseGoTime(last.privateKeyCreatedDate)! > parseGoTime(first.privateKeyCreatedDate)!);
    assert.equal(await accepted(nodeDir, last.privateKey), "accepted");
    assert.equal(await accepted(nodeDir, first.privateKey), "InvalidSignatureException");
    const updates = fx
      .audit()
      .filter((line) => line.action === "UpdateManagedInstancePublicKey" && line.decision === "Allow");
    assert.ok(updates.length >= 2, `${updates.length} key updates in the audit log`);
    assert.ok(updates.every((line) => String(line.principalArn).endsWith(`managed-instance/${nodeId}`)));
  });

  test("without KeyAutoRotateDays the key stays", async () => {
    const admin = await hybridAdmin(fx);
    const { nodeDir } = await registerNode(fx, await newActivation(admin), join(fx.root, "steady"));
    const first = vaultOf(nodeDir);
    const run = await fx.tobira([
      "sandbox",
      "node",
      "run",
      "--once",
      "--speed",
      "86400",
      "--node-dir",
      nodeDir,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /rotated/);
    assert.equal(vaultOf(nodeDir).privateKey, first.privateKey);
  });
});
