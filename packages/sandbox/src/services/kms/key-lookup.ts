// Finds the KMS key a KeyId names, in the forms AWS accepts: key id, key ARN, alias name (`alias/…`) and
// alias ARN. Ids and alias names are looked up in the caller's account and Region; ARNs name their own.

import { AwsServiceError } from "../../protocol/errors.js";
import type { KmsKey, World } from "../../world/model.js";

export interface FoundKey {
  key: KmsKey;
  /** The alias the request used, when it named one (kms:RequestAlias). */
  requestAlias?: string;
}

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

function notFound(message: string): AwsServiceError {
  return new AwsServiceError("NotFoundException", message, 400);
}

function byAlias(world: World, account: string, region: string, alias: string): FoundKey {
  const key = world.kmsKeys.find(
    (k) => k.account === account && k.region === region && k.aliases.includes(alias),
  );
  if (!key) throw notFound(`Alias arn:aws:kms:${region}:${account}:${alias} is not found.`);
  return { key, requestAlias: alias };
}

function byId(world: World, account: string, region: string, id: string): FoundKey {
  const key = world.kmsKeys.find((k) => k.account === account && k.region === region && k.id === id);
  if (!key) throw notFound(`Key 'arn:aws:kms:${region}:${account}:key/${id}' does not exist`);
  return { key };
}

/** The key named by `keyId` for a caller in `account` calling `region`; NotFoundException otherwise. */
export function findKey(world: World, keyId: string, account: string, region: string): FoundKey {
  if (keyId.startsWith("alias/")) return byAlias(world, account, region, keyId);
  const aliasArn = ALIAS_ARN.exec(keyId);
  if (aliasArn) return byAlias(world, aliasArn[2]!, aliasArn[1]!, aliasArn[3]!);
  const keyArn = KEY_ARN.exec(keyId);
  if (keyArn) return byId(world, keyArn[2]!, keyArn[1]!, keyArn[3]!);
  if (KEY_ID.test(keyId)) return byId(world, account, region, keyId);
  throw notFound(`Invalid keyId '${keyId}'`);
}

/** A key that exists but is disabled refuses cryptographic operations. */
export function requireEnabled(key: KmsKey): void {
  if (!key.enabled) throw new AwsServiceError("DisabledException", `${key.arn} is disabled.`, 400);
}
