// World variants for the agent tests, each one change away from the default world.

import type { Statement } from "../../src/policy/types.js";
import { defaultWorld } from "../../src/world/index.js";
import type { SessionPreferences, World } from "../../src/world/model.js";

export function worldWith(change: (world: World) => void): World {
  const world = defaultWorld();
  change(world);
  return world;
}

export function preferences(change: (preferences: SessionPreferences) => void): (world: World) => void {
  return (world) => {
    for (const p of world.sessionPreferences) change(p);
  };
}

/** project-a-operator may also start AWS-StartNonInteractiveCommand (the default world omits it). */
export function allowNonInteractiveCommands(world: World): void {
  const policy = world.managedPolicies.find((p) => p.name === "SessionManagerByProject");
  const statements = policy?.document.Statement as Statement[];
  const documents = statements.find((s) => s.Sid === "StartSessionWithTheseDocuments");
  if (!documents) throw new Error("default world changed: no StartSessionWithTheseDocuments");
  documents.Resource = [
    ...(documents.Resource as string[]),
    "arn:aws:ssm:*::document/AWS-StartNonInteractiveCommand",
  ];
}

/** SSMInstanceRole loses kms:Decrypt: its inline grant and the key policy's statement for it. */
export function instanceRoleWithoutDecrypt(world: World): void {
  const role = world.roles.find((r) => r.name === "SSMInstanceRole");
  if (!role) throw new Error("default world changed: no SSMInstanceRole");
  delete role.inlinePolicies["decrypt-session-data"];
  for (const key of world.kmsKeys) {
    key.policy.Statement = (key.policy.Statement as Statement[]).filter(
      (s) => s.Sid !== "InstancesDecryptSessions",
    );
  }
}
