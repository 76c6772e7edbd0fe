import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  type KMSClient,
} from "@aws-sdk/client-kms";
import { AwsServiceError } from "../../src/protocol/errors.js";
import { decryptAsInstanceRole } from "../../src/services/kms/instance-decrypt.js";
import type { Instance } from "../../src/world/model.js";
import { awsError, startTestSandbox, type TestSandbox } from "../server/sandbox-fixture.js";
import { clients, operatorRoles, REGION, SESSION_KEY_ARN, WEB_A, WORKLOAD } from "../ssm/workload-clients.js";
import {
  worldWithOperatorCrypto,
  worldWithoutGenerateDataKey,
  worldWithoutInstanceDecrypt,
} from "./kms-worlds.js";

const KEY_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
const OPERATOR = `arn:aws:sts::${WORKLOAD}:assumed-role/project-a-operator/alice-session`;
const INSTANCE_ROLE_SESSION = `arn:aws:sts::${WORKLOAD}:assumed-role/SSMInstanceRole/${WEB_A}`;
const ARTICLE_DECRYPT_TEXT =
  "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.";

/** The encryption context a Session Manager client and agent use for a session's data key. */
const sessionContext = (sessionId: string) => ({ "aws:ssm:SessionId": sessionId, "aws:ssm:TargetId": WEB_A });

function webA(t: TestSandbox): Instance {
  return t.world.instances.find((i) => i.id === WEB_A)!;
}

function thrownBy(run: () => unknown): AwsServiceError {
  try {
    run();
  } catch (error) {
    if (error instanceof AwsServiceError) return error;
    throw error;
  }
  throw new Error("expected an AwsServiceError");
}

async function operatorKms(t: TestSandbox, roles = ["project-a-operator"]): Promise<KMSClient[]> {
  const credentials = await operatorRoles(t, "alice", roles);
  return roles.map((role) => clients(t, credentials[role]!).kms);
}

describe("KMS against the default world", () => {
  let t: TestSandbox;
  let operator: KMSClient;
  let reader: KMSClient;
  before(async () => {
    t = await startTestSandbox();
    const kms = await operatorKms(t, ["project-a-operator", "Role-for-switch"]);
    operator = kms[0]!;
    reader = kms[1]!;
  });
  after(() => t.dispose());

  it("makes a session data key the instance role opens with the same context, audited on both sides", async () => {
    const context = sessionContext("alice-session-roundtrip");
    const generated = await operator.send(
      new GenerateDataKeyCommand({
        KeyId: "alias/session-manager",
        NumberOfBytes: 64,
        EncryptionContext: context,
      }),
    );
    assert.equal(generated.KeyId, SESSION_KEY_ARN);
    assert.equal(generated.Plaintext?.length, 64);
    const opened = decryptAsInstanceRole(t.sandbox.host, webA(t), generated.CiphertextBlob!, context, {
      keyId: "alias/session-manager",
    });
    assert.deepEqual(new Uint8Array(opened), generated.Plaintext);

    const lines = t.auditLines();
    const generate = lines.find((l) => l.action === "GenerateDataKey" && l.principalArn === OPERATOR);
    assert.equal(generate?.decision, "Allow");
    assert.equal(generate?.service, "kms");
    assert.match(String(generate?.reason), /"aws:ssm:SessionId":"alice-session-roundtrip"/);
    const decrypt = lines.find((l) => l.action === "Decrypt" && l.principalArn === INSTANCE_ROLE_SESSION);
    assert.equal(decrypt?.decision, "Allow");
    assert.match(String(decrypt?.reason), /InstancesDecryptSessions/);
    assert.match(String(decrypt?.reason), /"aws:ssm:TargetId":"i-0a1a0000000000001"/);
  });

  it("refuses a ciphertext opened under another encryption context", async () => {
    const generated = await operator.send(
      new GenerateDataKeyCommand({
        KeyId: KEY_ID,
        KeySpec: "AES_256",
        EncryptionContext: sessionContext("s-1"),
      }),
    );
    assert.equal(generated.Plaintext?.length, 32);
    const wrongSession = thrownBy(() =>
      decryptAsInstanceRole(t.sandbox.host, webA(t), generated.CiphertextBlob!, sessionContext("s-2")),
    );
    assert.equal(wrongSession.code, "InvalidCiphertextException");
    const noContext = thrownBy(() =>
      decryptAsInstanceRole(t.sandbox.host, webA(t), generated.CiphertextBlob!, {}),
    );
    assert.equal(noContext.code, "InvalidCiphertextException");
    const tampered = Buffer.from(generated.CiphertextBlob!);
    tampered[tampered.length - 1]! ^= 1;
    assert.equal(
      thrownBy(() => decryptAsInstanceRole(t.sandbox.host, webA(t), tampered, sessionContext("s-1"))).code,
      "InvalidCiphertextException",
    );
  });

  it("accepts the key as id, ARN, alias name and alias ARN, and says when a key or alias is unknown", async () => {
    for (const keyId of [
      KEY_ID,
      SESSION_KEY_ARN,
      "alias/session-manager",
      `arn:aws:kms:${REGION}:${WORKLOAD}:alias/session-manager`,
    ]) {
      const answer = await operator.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_128" }));
      assert.equal(answer.KeyId, SESSION_KEY_ARN);
      assert.equal(answer.Plaintext?.length, 16);
    }
    const alias = await awsError(
      operator.send(new GenerateDataKeyCommand({ KeyId: "alias/nope", KeySpec: "AES_256" })),
    );
    assert.equal(alias.name, "NotFoundException");
    assert.equal(alias.message, `Alias arn:aws:kms:${REGION}:${WORKLOAD}:alias/nope is not found.`);
    const key = await awsError(
      operator.send(
        new GenerateDataKeyCommand({ KeyId: "00000000-0000-4000-8000-000000000000", KeySpec: "AES_256" }),
      ),
    );
    assert.equal(key.name, "NotFoundException");
    assert.equal(
      key.message,
      `Key 'arn:aws:kms:${REGION}:${WORKLOAD}:key/00000000-0000-4000-8000-000000000000' does not exist`,
    );
  });

  it("validates GenerateDataKey's sizes", async () => {
    const both = await awsError(
      operator.send(new GenerateDataKeyCommand({ KeyId: KEY_ID, KeySpec: "AES_256", NumberOfBytes: 32 })),
    );
    assert.equal(both.name, "ValidationException");
    const tooMany = await awsError(
      operator.send(new GenerateDataKeyCommand({ KeyId: KEY_ID, NumberOfBytes: 2000 })),
    );
    assert.equal(tooMany.name, "ValidationException");
    assert.match(tooMany.message, /at 'numberOfBytes' failed to satisfy constraint/);
  });

  it("lets the operator generate but not decrypt over the API, in KMS's words", async () => {
    const generated = await operator.send(
      new GenerateDataKeyCommand({
        KeyId: KEY_ID,
        NumberOfBytes: 64,
        EncryptionContext: sessionContext("s-3"),
      }),
    );
    const denied = await awsError(
      operator.send(
        new DecryptCommand({
          CiphertextBlob: generated.CiphertextBlob,
          EncryptionContext: sessionContext("s-3"),
        }),
      ),
    );
    assert.equal(denied.name, "AccessDeniedException");
    assert.equal(denied.message, ARTICLE_DECRYPT_TEXT);
  });

  it("describes the key to a role whose IAM policy allows it (the key policy delegates to IAM)", async () => {
    const described = await reader.send(new DescribeKeyCommand({ KeyId: "alias/session-manager" }));
    assert.equal(described.KeyMetadata?.Arn, SESSION_KEY_ARN);
    assert.equal(described.KeyMetadata?.KeyState, "Enabled");
    assert.equal(described.KeyMetadata?.KeySpec, "SYMMETRIC_DEFAULT");
    const denied = await awsError(operator.send(new DescribeKeyCommand({ KeyId: KEY_ID })));
    assert.equal(denied.name, "AccessDeniedException");
    assert.equal(
      denied.message,
      `User: ${OPERATOR} is not authorized to perform: kms:DescribeKey on resource: ${SESSION_KEY_ARN} because no identity-based policy allows the kms:DescribeKey action`,
    );
  });

  it("keeps key material across a restart and never writes it to the audit log", async () => {
    const context = sessionContext("s-restart");
    const generated = await operator.send(
      new GenerateDataKeyCommand({ KeyId: KEY_ID, NumberOfBytes: 64, EncryptionContext: context }),
    );
    await t.restart();
    const opened = decryptAsInstanceRole(t.sandbox.host, webA(t), generated.CiphertextBlob!, context);
    assert.deepEqual(new Uint8Array(opened), generated.Plaintext);
    const state = JSON.parse(readFileSync(join(t.stateDir, "state.json"), "utf8"));
    const material = Object.values(state.services.kms.material) as string[];
    assert.equal(material.length, 1);
    assert.ok(!readFileSync(join(t.stateDir, "audit.jsonl"), "utf8").includes(material[0]!));
  });
});

describe("KMS with Encrypt and Decrypt granted to the operator", () => {
  let t: TestSandbox;
  let operator: KMSClient;
  before(async () => {
    t = await startTestSandbox({ world: worldWithOperatorCrypto() });
    operator = (await operatorKms(t))[0]!;
  });
  after(() => t.dispose());

  it("round-trips Encrypt and Decrypt and refuses a different context", async () => {
    const context = { purpose: "test" };
    const encrypted = await operator.send(
      new EncryptCommand({
        KeyId: "alias/session-manager",
        Plaintext: Buffer.from("door"),
        EncryptionContext: context,
      }),
    );
    const decrypted = await operator.send(
      new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context }),
    );
    assert.equal(Buffer.from(decrypted.Plaintext!).toString(), "door");
    assert.equal(decrypted.KeyId, SESSION_KEY_ARN);
    const mismatch = await awsError(
      operator.send(
        new DecryptCommand({
          CiphertextBlob: encrypted.CiphertextBlob,
          EncryptionContext: { purpose: "other" },
        }),
      ),
    );
    assert.equal(mismatch.name, "InvalidCiphertextException");
    const garbage = await awsError(
      operator.send(new DecryptCommand({ CiphertextBlob: Buffer.from("not ours") })),
    );
    assert.equal(garbage.name, "InvalidCiphertextException");
  });
});

describe("the articles' two KMS errors", () => {
  it("a user's role without kms:GenerateDataKey", async () => {
    const t = await startTestSandbox({ world: worldWithoutGenerateDataKey() });
    try {
      const [operator] = await operatorKms(t);
      const denied = await awsError(
        operator!.send(
          new GenerateDataKeyCommand({
            KeyId: "alias/session-manager",
            NumberOfBytes: 64,
            EncryptionContext: sessionContext("s-4"),
          }),
        ),
      );
      assert.equal(denied.name, "AccessDeniedException");
      assert.equal(denied.status, 400);
      assert.equal(
        denied.message,
        `User: ${OPERATOR} is not authorized to perform: kms:GenerateDataKey on resource: ${SESSION_KEY_ARN} because no identity-based policy allows the kms:GenerateDataKey action`,
      );
      const line = t.auditLines().find((l) => l.action === "GenerateDataKey");
      assert.equal(line?.decision, "ImplicitDeny");
      assert.match(String(line?.reason), /aws:ssm:SessionId/);
    } finally {
      await t.dispose();
    }
  });

  it("an instance role without kms:Decrypt", async () => {
    const t = await startTestSandbox({ world: worldWithoutInstanceDecrypt() });
    try {
      const [operator] = await operatorKms(t);
      const context = sessionContext("s-5");
      const generated = await operator!.send(
        new GenerateDataKeyCommand({
          KeyId: "alias/session-manager",
          NumberOfBytes: 64,
          EncryptionContext: context,
        }),
      );
      const denied = thrownBy(() =>
        decryptAsInstanceRole(t.sandbox.host, webA(t), generated.CiphertextBlob!, context),
      );
      assert.equal(denied.code, "AccessDeniedException");
      assert.equal(denied.message, ARTICLE_DECRYPT_TEXT);
      const line = t.auditLines().find((l) => l.action === "Decrypt");
      assert.equal(line?.principalArn, INSTANCE_ROLE_SESSION);
      assert.equal(line?.decision, "ImplicitDeny");
      assert.equal(line?.errorCode, "AccessDeniedException");
      assert.match(String(line?.reason), /kms:Decrypt on arn:aws:kms:/);
    } finally {
      await t.dispose();
    }
  });
});
