// A validated World back in the world file's input shape, so templates can be added to it and the whole
// checked again (cross-references between templates and the base world included). One converter per
// section; each entity's origin is its place in the base world.

import type {
  Account,
  ConfigProfile,
  IamGroup,
  IamRole,
  IamUser,
  Instance,
  KmsKey,
  ManagedPolicy,
  SessionPreferences,
  World,
} from "../model.js";
import { preferenceSettings } from "../preference-settings.js";
import {
  type AccountInput,
  BASE_WORLD,
  type GroupInput,
  type InstanceInput,
  type KmsKeyInput,
  type ManagedPolicyInput,
  type PreferencesInput,
  type ProfileInput,
  type RoleInput,
  type Section,
  type SectionItem,
  type UserInput,
  type WorldDraft,
} from "./world-draft.js";

function optionalCreated(created: string | undefined): { created?: string } {
  return created === undefined ? {} : { created };
}

/** An identity's policies, copied so templates may add to them without touching the base world. */
function attachedPolicies(identity: IamUser | IamGroup | IamRole) {
  return { inlinePolicies: { ...identity.inlinePolicies }, managedPolicies: [...identity.managedPolicies] };
}

function accountInput(account: Account): AccountInput {
  return account.alias === "" ? { id: account.id } : { ...account };
}

function managedPolicyInput(policy: ManagedPolicy): ManagedPolicyInput {
  return {
    name: policy.name,
    account: policy.account,
    path: policy.path ?? "/",
    description: policy.description ?? "",
    document: policy.document,
  };
}

function userInput(user: IamUser): UserInput {
  return {
    name: user.name,
    account: user.account,
    path: user.path,
    ...optionalCreated(user.created),
    accessKeys: user.accessKeys.map((key) => ({ ...key })),
    mfaDevices: user.mfaDevices.map((device) => ({ ...device })),
    tags: { ...user.tags },
    groups: [...user.groups],
    ...attachedPolicies(user),
  };
}

function groupInput(group: IamGroup): GroupInput {
  return {
    name: group.name,
    account: group.account,
    path: group.path ?? "/",
    ...optionalCreated(group.created),
    ...attachedPolicies(group),
  };
}

function roleInput(role: IamRole): RoleInput {
  return {
    name: role.name,
    account: role.account,
    path: role.path,
    description: role.description ?? "",
    ...optionalCreated(role.created),
    trust: role.trust,
    ...attachedPolicies(role),
    tags: { ...role.tags },
    maxSessionDuration: role.maxSessionDuration,
  };
}

function kmsKeyInput(key: KmsKey): KmsKeyInput {
  return {
    id: key.id,
    account: key.account,
    region: key.region,
    aliases: [...key.aliases],
    description: key.description,
    enabled: key.enabled,
    policy: key.policy,
  };
}

function preferencesInput(preferences: SessionPreferences): PreferencesInput {
  return { account: preferences.account, region: preferences.region, ...preferenceSettings(preferences) };
}

function instanceInput(instance: Instance): InstanceInput {
  return {
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
  };
}

function profileInput(profile: ConfigProfile): ProfileInput {
  if (profile.kind === "user") return { name: profile.name, user: profile.userArn, region: profile.region };
  return {
    name: profile.name,
    role: profile.roleArn,
    sourceProfile: profile.sourceProfile,
    region: profile.region,
    ...(profile.mfaSerial === undefined ? {} : { mfaSerial: profile.mfaSerial }),
    ...(profile.durationSeconds === undefined ? {} : { durationSeconds: profile.durationSeconds }),
  };
}

function addSection<S extends Section, T>(
  draft: WorldDraft,
  section: S,
  items: readonly T[],
  toInput: (item: T) => SectionItem<S>,
): void {
  items.forEach((item, index) => {
    draft.add(section, toInput(item), { template: BASE_WORLD, path: [section, index] });
  });
}

export function addBaseWorld(draft: WorldDraft, world: World): void {
  addSection(draft, "accounts", world.accounts, accountInput);
  addSection(draft, "managedPolicies", world.managedPolicies, managedPolicyInput);
  addSection(draft, "users", world.users, userInput);
  addSection(draft, "groups", world.groups, groupInput);
  addSection(draft, "roles", world.roles, roleInput);
  addSection(draft, "kmsKeys", world.kmsKeys, kmsKeyInput);
  addSection(draft, "sessionPreferences", world.sessionPreferences, preferencesInput);
  addSection(draft, "instances", world.instances, instanceInput);
  addSection(draft, "profiles", world.profiles ?? [], profileInput);
}
