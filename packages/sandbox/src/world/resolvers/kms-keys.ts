// Resolves the world's KMS keys (ids, ARNs, aliases unique per account and Region, key policies) and answers
// whether a key reference names one of them.

import type { PolicyDocument } from "../../policy/types.js";
import { kmsKeyArn, kmsKeyIdFor } from "../ids.js";
import type { KmsKey } from "../model.js";
import { FirstClaims } from "./first-claims.js";
import { type Path, unknownMessage } from "./issue-list.js";
import type { ResourcePolicyCheck } from "./policy-checks.js";
import type { ResolveScope } from "./resolve-scope.js";

const DEFAULT_KEY_POLICY = (account: string): PolicyDocument => ({
  Version: "2012-10-17",
  Id: "key-default-1",
  Statement: [
    {
      Sid: "Enable IAM User Permissions",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ],
});

export function resolveKmsKeys(scope: ResolveScope, resourcePolicies: ResourcePolicyCheck): KmsKey[] {
  const { file, issues } = scope;
  const keyIds = new FirstClaims<string>();
  const keyAliases = new FirstClaims<string>();
  return file.kmsKeys.map((key, index) => {
    const path: Path = ["kmsKeys", index];
    scope.accounts.check([...path, "account"], key.account);
    const region = key.region ?? file.region;
    const id = key.id ?? kmsKeyIdFor(key.account, region, index);
    const first = keyIds.claim(id, `kmsKeys[${index}]`);
    if (first !== undefined) issues.add([...path, "id"], `duplicate KMS key id ${id} (also ${first})`);
    key.aliases.forEach((alias, aliasIndex) => {
      const owner = keyAliases.claim(`${key.account}/${region}/${alias}`, `kmsKeys[${index}]`);
      if (owner !== undefined) {
        issues.add(
          [...path, "aliases", aliasIndex],
          `alias ${alias} already names ${owner} in ${key.account}/${region}`,
        );
      }
    });
    if (key.policy !== undefined) resourcePolicies.check(key.policy, [...path, "policy"]);
    return {
      id,
      account: key.account,
      region,
      arn: kmsKeyArn(region, key.account, id),
      aliases: key.aliases,
      policy: key.policy ?? DEFAULT_KEY_POLICY(key.account),
      description: key.description,
      enabled: key.enabled,
    };
  });
}

/** Undefined when `reference` (key id, key ARN, alias name or alias ARN) names a key of that account and region. */
export function kmsKeyReferenceProblem(
  keys: KmsKey[],
  reference: string,
  account: string,
  region: string,
): string | undefined {
  const local = keys.filter((key) => key.account === account && key.region === region);
  const arn = /^arn:aws:kms:([^:]+):(\d{12}):(key\/.+|alias\/.+)$/.exec(reference);
  let name = reference;
  if (arn !== null) {
    if (arn[1] !== region || arn[2] !== account) {
      return `the key ${reference} is not in ${account}/${region}, where these preferences are`;
    }
    name = arn[3]!.startsWith("key/") ? arn[3]!.slice(4) : arn[3]!;
  }
  const where = ` in ${account}/${region}`;
  if (name.startsWith("alias/")) {
    if (local.some((key) => key.aliases.includes(name))) return undefined;
    return unknownMessage(
      "KMS alias",
      name,
      local.flatMap((key) => key.aliases),
      where,
    );
  }
  if (local.some((key) => key.id === name)) return undefined;
  return unknownMessage(
    "KMS key",
    name,
    local.map((key) => key.id),
    where,
  );
}
