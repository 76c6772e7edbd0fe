// IAM resources of a template as world entities: users (with a generated access key and virtual MFA device),
// groups, roles, managed and inline policies, their attachments and memberships, and instance profiles.

import { base32Encode } from "../../mfa/base32.js";
import type { PolicyDocument } from "../../policy/types.js";
import { generatedMfaSeed } from "./physical-ids.js";
import { parsePolicyText, type ReadContext } from "./read-context.js";
import type { GroupInput, RoleInput, UserInput } from "./world-draft.js";

type Kind = "users" | "groups" | "roles";
const KIND_NOUN: Record<Kind, string> = { users: "user", groups: "group", roles: "role" };

/** The sandbox evaluates no permissions boundary: ignoring one would allow more than AWS does. */
function refuseBoundary(ctx: ReadContext, logicalId: string): void {
  if (ctx.has(logicalId, "PermissionsBoundary")) {
    ctx.report(
      "error",
      ctx.propertyPath(logicalId, "PermissionsBoundary"),
      "permissions boundaries are not modelled; the sandbox would allow more than AWS does",
    );
  }
}

/**
 * The IAM name and path the resource gets (a failure to work either out is reported) and its account: what
 * every IAM entity of the template starts from. Undefined when the name or path cannot be known.
 */
function iamEntityOf(
  ctx: ReadContext,
  logicalId: string,
): { name: string; account: string; path: string } | undefined {
  const name = ctx.attempt("error", () => ctx.model.physicalName(logicalId));
  const path = ctx.attempt("error", () => ctx.model.iamPath(logicalId));
  return name === undefined || path === undefined ? undefined : { name, account: ctx.account, path };
}

/** `Policies: [{PolicyName, PolicyDocument}]` of users, groups and roles. */
function inlinePolicies(ctx: ReadContext, logicalId: string): Record<string, PolicyDocument> {
  const value = ctx.property(logicalId, "Policies", "error");
  const policies: Record<string, PolicyDocument> = {};
  if (value === undefined) return policies;
  const path = ctx.propertyPath(logicalId, "Policies");
  if (!Array.isArray(value)) {
    ctx.report("error", path, "expected a list of {PolicyName, PolicyDocument}");
    return policies;
  }
  value.forEach((item, index) => {
    const { PolicyName, PolicyDocument } = (item ?? {}) as { PolicyName?: unknown; PolicyDocument?: unknown };
    const document = parsePolicyText(PolicyDocument, (message) =>
      ctx.report("error", [...path, index], message),
    );
    if (typeof PolicyName !== "string" || document === undefined) {
      ctx.report("error", [...path, index], "an inline policy is {PolicyName: string, PolicyDocument}");
      return;
    }
    policies[PolicyName] = document as PolicyDocument;
  });
  return policies;
}

function readUser(ctx: ReadContext, logicalId: string): void {
  refuseBoundary(ctx, logicalId);
  if (ctx.has(logicalId, "LoginProfile")) {
    ctx.report(
      "note",
      ctx.propertyPath(logicalId, "LoginProfile"),
      "console passwords are not modelled; the user signs in with its generated access key",
    );
  }
  const entity = iamEntityOf(ctx, logicalId);
  if (entity === undefined) return;
  const user: UserInput = {
    ...entity,
    tags: ctx.tags(logicalId, "error"),
    groups: ctx.stringList(logicalId, "Groups", "error"),
    inlinePolicies: inlinePolicies(ctx, logicalId),
    managedPolicies: ctx.stringList(logicalId, "ManagedPolicyArns", "error"),
    // So the sandbox can be used at once: one access key, and a virtual MFA device named after the user.
    accessKeys: [{}],
    mfaDevices: [{ name: entity.name, secret: base32Encode(generatedMfaSeed(ctx.account, entity.name)) }],
  };
  ctx.draft.add("users", user, ctx.origin(logicalId));
}

function readGroup(ctx: ReadContext, logicalId: string): void {
  const entity = iamEntityOf(ctx, logicalId);
  if (entity === undefined) return;
  const group: GroupInput = {
    ...entity,
    inlinePolicies: inlinePolicies(ctx, logicalId),
    managedPolicies: ctx.stringList(logicalId, "ManagedPolicyArns", "error"),
  };
  ctx.draft.add("groups", group, ctx.origin(logicalId));
}

function readRole(ctx: ReadContext, logicalId: string): void {
  refuseBoundary(ctx, logicalId);
  const entity = iamEntityOf(ctx, logicalId);
  const trust = ctx.policyDocument(logicalId, "AssumeRolePolicyDocument", "error");
  if (trust === undefined && !ctx.has(logicalId, "AssumeRolePolicyDocument")) {
    ctx.report("error", ["Resources", logicalId, "Properties"], "a role needs an AssumeRolePolicyDocument");
  }
  if (entity === undefined || trust === undefined) return;
  const role: RoleInput = {
    ...entity,
    trust: trust as PolicyDocument,
    tags: ctx.tags(logicalId, "error"),
    inlinePolicies: inlinePolicies(ctx, logicalId),
    managedPolicies: ctx.stringList(logicalId, "ManagedPolicyArns", "error"),
  };
  const description = ctx.stringProperty(logicalId, "Description", "note");
  if (description !== undefined) role.description = description;
  const duration = ctx.property(logicalId, "MaxSessionDuration", "error");
  if (duration !== undefined) role.maxSessionDuration = Number(duration);
  ctx.draft.add("roles", role, ctx.origin(logicalId));
}

function readManagedPolicy(ctx: ReadContext, logicalId: string): void {
  const named = iamEntityOf(ctx, logicalId);
  const document = ctx.policyDocument(logicalId, "PolicyDocument", "error");
  if (named === undefined || document === undefined) return;
  const { name, path } = named;
  ctx.draft.add(
    "managedPolicies",
    {
      ...named,
      description: ctx.stringProperty(logicalId, "Description", "note") ?? "",
      document: document as PolicyDocument,
    },
    ctx.origin(logicalId),
  );
  const arn = `arn:aws:iam::${ctx.account}:policy${path}${name}`;
  attachEach(ctx, logicalId, (entity) => {
    if (!entity.managedPolicies?.includes(arn))
      entity.managedPolicies = [...(entity.managedPolicies ?? []), arn];
  });
}

/** AWS::IAM::Policy: an inline policy put on the users, groups and roles it lists. */
function readPolicy(ctx: ReadContext, logicalId: string): void {
  const name = ctx.stringProperty(logicalId, "PolicyName", "error");
  const document = ctx.policyDocument(logicalId, "PolicyDocument", "error");
  if (name === undefined || document === undefined) return;
  attachEach(ctx, logicalId, (entity) => {
    entity.inlinePolicies = { ...entity.inlinePolicies, [name]: document as PolicyDocument };
  });
}

/** AWS::IAM::RolePolicy, UserPolicy, GroupPolicy: one inline policy on one entity. */
function readSinglePolicy(ctx: ReadContext, logicalId: string, kind: Kind, nameProperty: string): void {
  const name = ctx.stringProperty(logicalId, "PolicyName", "error");
  const document = ctx.policyDocument(logicalId, "PolicyDocument", "error");
  const owner = ctx.stringProperty(logicalId, nameProperty, "error");
  if (name === undefined || document === undefined || owner === undefined) return;
  ctx.deferred.push(() => {
    const entity = findEntity(ctx, logicalId, nameProperty, kind, owner);
    if (entity !== undefined)
      entity.inlinePolicies = { ...entity.inlinePolicies, [name]: document as PolicyDocument };
  });
}

function readUserToGroupAddition(ctx: ReadContext, logicalId: string): void {
  const group = ctx.stringProperty(logicalId, "GroupName", "error");
  const users = ctx.stringList(logicalId, "Users", "error");
  if (group === undefined) return;
  ctx.deferred.push(() => {
    for (const userName of users) {
      const user = findEntity(ctx, logicalId, "Users", "users", userName);
      if (user !== undefined && !user.groups?.includes(group)) user.groups = [...(user.groups ?? []), group];
    }
  });
}

function readInstanceProfile(ctx: ReadContext, logicalId: string): void {
  const name = ctx.attempt("error", () => ctx.model.physicalName(logicalId));
  const roles = ctx.stringList(logicalId, "Roles", "error");
  if (name === undefined || roles[0] === undefined) return;
  ctx.instanceProfiles.set(`${ctx.account}/${name}`, roles[0]);
}

/** Runs `change` on each user, group and role the resource's Users/Groups/Roles name, once all are read. */
function attachEach(ctx: ReadContext, logicalId: string, change: (entity: Attachable) => void): void {
  const targets: [Kind, string][] = [
    ["users", "Users"],
    ["groups", "Groups"],
    ["roles", "Roles"],
  ];
  const named = targets.map(
    ([kind, property]) => [kind, property, ctx.stringList(logicalId, property, "error")] as const,
  );
  ctx.deferred.push(() => {
    for (const [kind, property, names] of named) {
      for (const name of names) {
        const entity = findEntity(ctx, logicalId, property, kind, name);
        if (entity !== undefined) change(entity);
      }
    }
  });
}

/** What attachments change on a user, group or role of the draft. */
interface Attachable {
  inlinePolicies?: Record<string, PolicyDocument>;
  managedPolicies?: string[];
  groups?: string[];
}

function findEntity(
  ctx: ReadContext,
  logicalId: string,
  property: string,
  kind: Kind,
  name: string,
): Attachable | undefined {
  const found = ctx.draft.findNamed(kind, ctx.account, name);
  if (found === undefined) {
    ctx.report(
      "error",
      ctx.propertyPath(logicalId, property),
      `names ${KIND_NOUN[kind]} "${name}", which is in neither the loaded templates nor the base world (account ${ctx.account})`,
    );
  }
  return found as Attachable | undefined;
}

/** Readers by resource type; each adds to the draft or defers what needs other resources. */
export const IAM_READERS: Record<string, (ctx: ReadContext, logicalId: string) => void> = {
  "AWS::IAM::User": readUser,
  "AWS::IAM::Group": readGroup,
  "AWS::IAM::Role": readRole,
  "AWS::IAM::ManagedPolicy": readManagedPolicy,
  "AWS::IAM::Policy": readPolicy,
  "AWS::IAM::RolePolicy": (ctx, id) => readSinglePolicy(ctx, id, "roles", "RoleName"),
  "AWS::IAM::UserPolicy": (ctx, id) => readSinglePolicy(ctx, id, "users", "UserName"),
  "AWS::IAM::GroupPolicy": (ctx, id) => readSinglePolicy(ctx, id, "groups", "GroupName"),
  "AWS::IAM::UserToGroupAddition": readUserToGroupAddition,
  "AWS::IAM::InstanceProfile": readInstanceProfile,
};
