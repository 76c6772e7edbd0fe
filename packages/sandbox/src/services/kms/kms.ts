// The KMS service (JSON 1.1, `TrentService.*`): GenerateDataKey, Encrypt, Decrypt and DescribeKey on the
// world's symmetric keys, authorized by key policy plus IAM policies.

import { AwsServiceError } from "../../protocol/errors.js";
import type { ServiceCall } from "../../server/runtime.js";
import type { JsonServiceDefinition } from "../../server/service-registry.js";
import type { KmsKey } from "../../world/model.js";
import { JsonInput } from "../ssm/json-input.js";
import { findKey, requireEnabled } from "./key-lookup.js";
import { decryptBlob, encryptUnder, generateDataKey, SYMMETRIC_DEFAULT } from "./key-operations.js";
import { authorizeKeyUse } from "./kms-authorize.js";

const KEY_ID_RULE = { required: true, min: 1, max: 2048 };
const KEY_SPEC_BYTES: Record<string, number> = { AES_256: 32, AES_128: 16 };

function dryRunSucceeded(): AwsServiceError {
  return new AwsServiceError(
    "DryRunOperationException",
    "The request would have succeeded, but the DryRun option is set.",
    400,
  );
}

/** KMS's epoch-seconds timestamps in JSON; the world's keys were made when the world began. */
const KEY_CREATION_EPOCH_SECONDS = Date.parse("2024-04-01T00:00:00Z") / 1000;

function keyMetadata(key: KmsKey) {
  return {
    AWSAccountId: key.account,
    KeyId: key.id,
    Arn: key.arn,
    CreationDate: KEY_CREATION_EPOCH_SECONDS,
    Enabled: key.enabled,
    Description: key.description,
    KeyUsage: "ENCRYPT_DECRYPT",
    KeyState: key.enabled ? "Enabled" : "Disabled",
    Origin: "AWS_KMS",
    KeyManager: "CUSTOMER",
    CustomerMasterKeySpec: SYMMETRIC_DEFAULT,
    KeySpec: SYMMETRIC_DEFAULT,
    EncryptionAlgorithms: [SYMMETRIC_DEFAULT],
    MultiRegion: false,
  };
}

function generateDataKeyAction(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const keyId = input.string("KeyId", KEY_ID_RULE)!;
  const numberOfBytes = input.integer("NumberOfBytes", { min: 1, max: 1024 });
  const keySpec = input.string("KeySpec", { oneOf: ["AES_256", "AES_128"] });
  const context = input.stringMap("EncryptionContext") ?? {};
  const dryRun = input.boolean("DryRun");
  input.done();
  if ((numberOfBytes === undefined) === (keySpec === undefined)) {
    throw new AwsServiceError(
      "ValidationException",
      "Please specify either number of bytes or key spec.",
      400,
    );
  }
  const found = findKey(call.runtime.world, keyId, call.caller.account, call.region);
  authorizeKeyUse(call, { found, action: "kms:GenerateDataKey", encryptionContext: context });
  if (dryRun) throw dryRunSucceeded();
  requireEnabled(found.key);
  const bytes = numberOfBytes ?? KEY_SPEC_BYTES[keySpec!]!;
  const { plaintext, blob } = generateDataKey(call, found.key, bytes, context);
  return {
    CiphertextBlob: blob.toString("base64"),
    Plaintext: plaintext.toString("base64"),
    KeyId: found.key.arn,
  };
}

function encryptAction(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const keyId = input.string("KeyId", KEY_ID_RULE)!;
  const plaintext = input.blob("Plaintext", { required: true, min: 1, max: 4096 })!;
  const context = input.stringMap("EncryptionContext") ?? {};
  const algorithm = input.string("EncryptionAlgorithm", { oneOf: [SYMMETRIC_DEFAULT] });
  const dryRun = input.boolean("DryRun");
  input.done();
  const found = findKey(call.runtime.world, keyId, call.caller.account, call.region);
  authorizeKeyUse(call, {
    found,
    action: "kms:Encrypt",
    encryptionContext: context,
    encryptionAlgorithm: algorithm ?? SYMMETRIC_DEFAULT,
  });
  if (dryRun) throw dryRunSucceeded();
  requireEnabled(found.key);
  return {
    CiphertextBlob: encryptUnder(call, found.key, plaintext, context).toString("base64"),
    KeyId: found.key.arn,
    EncryptionAlgorithm: SYMMETRIC_DEFAULT,
  };
}

function decryptAction(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const blob = input.blob("CiphertextBlob", { required: true, min: 1, max: 6144 })!;
  const context = input.stringMap("EncryptionContext") ?? {};
  const keyId = input.string("KeyId", { min: 1, max: 2048 });
  input.string("EncryptionAlgorithm", { oneOf: [SYMMETRIC_DEFAULT] });
  const dryRun = input.boolean("DryRun");
  input.done();
  const { key, plaintext } = decryptBlob(call, { blob, context, keyId });
  if (dryRun) throw dryRunSucceeded();
  return {
    KeyId: key.arn,
    Plaintext: plaintext.toString("base64"),
    EncryptionAlgorithm: SYMMETRIC_DEFAULT,
  };
}

function describeKeyAction(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const keyId = input.string("KeyId", KEY_ID_RULE)!;
  input.done();
  const found = findKey(call.runtime.world, keyId, call.caller.account, call.region);
  authorizeKeyUse(call, { found, action: "kms:DescribeKey" });
  return { KeyMetadata: keyMetadata(found.key) };
}

/** The key policy as JSON text; "default" is the only policy name KMS has. */
function getKeyPolicyAction(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const keyId = input.string("KeyId", KEY_ID_RULE)!;
  input.string("PolicyName", { min: 1, max: 128, oneOf: ["default"] });
  input.done();
  const found = findKey(call.runtime.world, keyId, call.caller.account, call.region);
  authorizeKeyUse(call, { found, action: "kms:GetKeyPolicy" });
  return { Policy: JSON.stringify(found.key.policy), PolicyName: "default" };
}

export const kmsService: JsonServiceDefinition = {
  signingName: "kms",
  protocol: "json",
  targetPrefix: "TrentService",
  actions: {
    GenerateDataKey: generateDataKeyAction,
    Encrypt: encryptAction,
    Decrypt: decryptAction,
    DescribeKey: describeKeyAction,
    GetKeyPolicy: getKeyPolicyAction,
  },
};
