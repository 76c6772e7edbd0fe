// World variants for the KMS tests: the default world with one permission taken away or added.

import type { Statement } from "../../src/policy/types.js";
import { defaultWorld } from "../../src/world/index.js";
import type { World } from "../../src/world/model.js";

function edit(change: (world: World) => void): World {
  const world = structuredClone(defaultWorld());
  change(world);
  return world;
}

function statementsOf(document: { Statement: Statement | Statement[] }): Statement[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}

function withoutSids(document: { Statement: Statement | Statement[] }, sids: string[]): void {
  document.Statement = statementsOf(document).filter((s) => !sids.includes(s.Sid ?? ""));
}

/** The operators' roles may not kms:GenerateDataKey: neither the key policy nor their policies allow it. */
export function worldWithoutGenerateDataKey(): World {
  return edit((world) => {
    withoutSids(world.kmsKeys[0]!.policy, ["OperatorsEncryptSessions"]);
    const policy = world.managedPolicies.find((p) => p.name === "SessionManagerByProject")!;
    withoutSids(policy.document, ["EncryptSessionData"]);
  });
}

/** The instance role may not kms:Decrypt: the key policy and its inline policy no longer allow it. */
export function worldWithoutInstanceDecrypt(): World {
  return edit((world) => {
    withoutSids(world.kmsKeys[0]!.policy, ["InstancesDecryptSessions"]);
    const role = world.roles.find((r) => r.name === "SSMInstanceRole")!;
    delete role.inlinePolicies["decrypt-session-data"];
  });
}

/** The operators' key-policy grant also covers Encrypt and Decrypt (for round trips over the API). */
export function worldWithOperatorCrypto(): World {
  return edit((world) => {
    for (const statement of statementsOf(world.kmsKeys[0]!.policy)) {
      if (statement.Sid === "OperatorsEncryptSessions") {
        statement.Action = ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"];
      }
    }
  });
}
