// A validated World back in the world file's input shape, so templates can be added to it and the whole
// checked again (cross-references between templates and the base world included).

import type { World } from "../model.js";
import { BASE_WORLD, type WorldDraft } from "./world-draft.js";

export function addBaseWorld(draft: WorldDraft, world: World): void {
  const origin = (section: string, index: number) => ({ template: BASE_WORLD, path: [section, index] });
  world.accounts.forEach((account, index) => {
    draft.add(
      "accounts",
      account.alias === "" ? { id: account.id } : { ...account },
      origin("accounts", index),
    );
  });
  world.managedPolicies.forEach((policy, index) => {
    draft.add(
      "managedPolicies",
      {
        name: policy.name,
        account: policy.account,
        path: policy.path ?? "/",
        description: policy.description ?? "",
        document: policy.document,
      },
      origin("managedPolicies", index),
    );
  });
  world.users.forEach((user, index) => {
    draft.add(
      "users",
      {
        name: user.name,
        account: user.account,
        path: user.path,
        ...(user.created === undefined ? {} : { created: user.created }),
        accessKeys: user.accessKeys.map((key) => ({ ...key })),
        mfaDevices: user.mfaDevices.map((device) => ({ ...device })),
        tags: { ...user.tags },
        groups: [...user.groups],
        inlinePolicies: { ...user.inlinePolicies },
        managedPolicies: [...user.managedPolicies],
      },
      origin("users", index),
    );
  });
  world.groups.forEach((group, index) => {
    draft.add(
      "groups",
      {
        name: group.name,
        account: group.account,
        path: group.path ?? "/",
        ...(group.created === undefined ? {} : { created: group.created }),
        inlinePolicies: { ...group.inlinePolicies },
        managedPolicies: [...group.managedPolicies],
      },
      origin("groups", index),
    );
  });
  world.roles.forEach((role, index) => {
    draft.add(
      "roles",
      {
        name: role.name,
        account: role.account,
        path: role.path,
        description: role.description ?? "",
        ...(role.created === undefined ? {} : { created: role.created }),
        trust: role.trust,
        inlinePolicies: { ...role.inlinePolicies },
        managedPolicies: [...role.managedPolicies],
        tags: { ...role.tags },
        maxSessionDuration: role.maxSessionDuration,
      },
      origin("roles", index),
    );
  });
  world.kmsKeys.forEach((key, index) => {
    draft.add(
      "kmsKeys",
      {
        id: key.id,
        account: key.account,
        region: key.region,
        aliases: [...key.aliases],
        description: key.description,
        enabled: key.enabled,
        policy: key.policy,
      },
      origin("kmsKeys", index),
    );
  });
  world.sessionPreferences.forEach((preferences, index) => {
    draft.add(
      "sessionPreferences",
      {
        account: preferences.account,
        region: preferences.region,
        kmsKeyId: preferences.kmsKeyId,
        runAsEnabled: preferences.runAsEnabled,
        runAsDefaultUser: preferences.runAsDefaultUser,
        idleSessionTimeout: preferences.idleSessionTimeout,
        maxSessionDuration: preferences.maxSessionDuration,
        shellProfile: { ...preferences.shellProfile },
      },
      origin("sessionPreferences", index),
    );
  });
  world.instances.forEach((instance, index) => {
    draft.add(
      "instances",
      {
        id: instance.id,
        account: instance.account,
        region: instance.region,
        name: instance.name,
        state: instance.state,
        platform: instance.platform,
        role: instance.role,
        privateIp: instance.privateIp,
        privateDnsName: instance.privateDnsName,
        tags: { ...instance.tags },
        ports: instance.ports.map((port) => ({ ...port })),
        reachableHosts: [...instance.reachableHosts],
      },
      origin("instances", index),
    );
  });
  (world.profiles ?? []).forEach((profile, index) => {
    draft.add(
      "profiles",
      profile.kind === "user"
        ? { name: profile.name, user: profile.userArn, region: profile.region }
        : {
            name: profile.name,
            role: profile.roleArn,
            sourceProfile: profile.sourceProfile,
            region: profile.region,
            ...(profile.mfaSerial === undefined ? {} : { mfaSerial: profile.mfaSerial }),
            ...(profile.durationSeconds === undefined ? {} : { durationSeconds: profile.durationSeconds }),
          },
      origin("profiles", index),
    );
  });
}
