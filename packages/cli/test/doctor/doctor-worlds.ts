// The worlds of `tobira doctor`'s tests: the default world (healthy) and one variant per failure class the
// articles describe, each with exactly that fault.
import assert from "node:assert/strict";
import type { World } from "@tobira/sandbox";
import { worldVariant } from "../fixtures/sandbox-user.js";

type Statement = { Sid?: string; [key: string]: unknown };

function dropStatement(document: unknown, sid: string): void {
  const list = (document as { Statement: Statement[] }).Statement;
  const index = list.findIndex((s) => s.Sid === sid);
  assert.ok(index >= 0, `statement ${sid} in the default world`);
  list.splice(index, 1);
}

function managed(world: World, name: string): unknown {
  const found = world.managedPolicies.find((p) => p.name === name);
  assert.ok(found, `managed policy ${name}`);
  return found.document;
}

function webA(world: World) {
  const instance = world.instances.find((i) => i.name === "web-a");
  assert.ok(instance, "web-a in the default world");
  return instance;
}

export const KEY_ARN = "arn:aws:kms:ap-northeast-1:222222222222:key/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";

/** Neither the project role's policy nor the key policy lets it generate data keys (the user's side). */
export const generateDataKeyMissing = (): World =>
  worldVariant((w) => {
    dropStatement(managed(w, "SessionManagerByProject"), "EncryptSessionData");
    dropStatement(w.kmsKeys[0]!.policy, "OperatorsEncryptSessions");
  });

/** Neither the instance role's policy nor the key policy lets it decrypt (the instance's side). */
export const decryptMissing = (): World =>
  worldVariant((w) => {
    const role = w.roles.find((r) => r.name === "SSMInstanceRole");
    assert.ok(role);
    role.inlinePolicies = {};
    dropStatement(w.kmsKeys[0]!.policy, "InstancesDecryptSessions");
  });

/** web-a runs, but its agent no longer answers. */
export const agentOffline = (): World =>
  worldVariant((w) => {
    webA(w).agentOnline = false;
  });

/** web-a has no os-user1, the user project-a's sessions run as. */
export const runAsUserMissing = (): World =>
  worldVariant((w) => {
    webA(w).osUsers = ["ec2-user", "ssm-user"];
  });

/** web-a's Project tag was mistyped, so project-a's ABAC policy no longer matches it. */
export const tagMismatch = (): World =>
  worldVariant((w) => {
    webA(w).tags.Project = "projecta";
  });

/** A role the switch role chains into, with the longest maximum duration. */
export const CHAINED_ROLE = "arn:aws:iam::222222222222:role/ops-admin";
export const chainedRole = (): World =>
  worldVariant((w) => {
    const template = w.roles.find((r) => r.name === "Role-for-switch");
    assert.ok(template);
    w.roles.push({
      ...structuredClone(template),
      name: "ops-admin",
      arn: CHAINED_ROLE,
      roleId: "AROARTXV5AHDOPSADMIN1",
      trust: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::222222222222:role/Role-for-switch" },
            Action: "sts:AssumeRole",
          },
        ],
      },
    });
  });

/** The project roles may not read themselves nor ask IAM's simulator (the DiagnoseSession* grants gone). */
export const noDiagnosisGrants = (): World =>
  worldVariant((w) => {
    const policy = managed(w, "SessionManagerByProject");
    for (const sid of [
      "DiagnoseSessionAccess",
      "DiagnoseInstanceRole",
      "DiagnoseSessionPreferences",
      "DiagnoseSessionKey",
    ])
      dropStatement(policy, sid);
  });
