// A validated World back in the world file's input shape, so templates can be added to it and the whole
// checked again (cross-references between templates and the base world included). One converter per
// section; each entity's origin is its place in the base world.

import type {
  Account,
  ConfigProfile,
  IamGroup,
  IamRole,
  IamUser,
  KmsKey,
  ManagedPolicy,
  World,
} from "../model.js";
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

/** A deep copy, so templates may add to the draft without touching the base world. */
const copy = structuredClone;

function accountInput(account: Account): AccountInput {
  return account.alias === "" ? { id: account.id } : { ...account };
}

// Each converter drops what the resolver derives (ARNs, unique ids) and fills what it defaults.

function managedPolicyInput({ arn: _arn, ...policy }: ManagedPolicy): ManagedPolicyInput {
  return copy({ ...policy, path: policy.path ?? "/", description: policy.description ?? "" });
}

function userInput({ userId: _userId, arn: _arn, ...user }: IamUser): UserInput {
  return copy(user);
}

function groupInput({ groupId: _groupId, arn: _arn, ...group }: IamGroup): GroupInput {
  return copy({ ...group, path: group.path ?? "/" });
}

function roleInput({ roleId: _roleId, arn: _arn, ...role }: IamRole): RoleInput {
  return copy({ ...role, description: role.description ?? "" });
}

function kmsKeyInput({ arn: _arn, ...key }: KmsKey): KmsKeyInput {
  return copy(key);
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
  addSection(draft, "sessionPreferences", world.sessionPreferences, copy<PreferencesInput>);
  // A template world has no hybrid activations: the base world's registered on-premises nodes stay out.
  const instances = world.instances.filter((instance) => instance.activationId === undefined);
  addSection(draft, "instances", instances, copy<InstanceInput>);
  addSection(draft, "profiles", world.profiles ?? [], profileInput);
}
