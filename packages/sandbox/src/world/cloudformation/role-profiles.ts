// AWS config profiles for the templates' roles: one per user a role's trust policy names directly, with
// that user's profile as source and its MFA device as mfa_serial, so `aws --profile ROLE` works at once.

import type { PolicyDocument } from "../../policy/types.js";
import type { Origin, RoleInput, UserInput, WorldDraft } from "./world-draft.js";

const PROFILE_CHARS = /[^A-Za-z0-9_.@+-]/g;
const MAX_PROFILE_NAME = 64;

function listOf<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function userArn(user: UserInput): string {
  return `arn:aws:iam::${user.account}:user${user.path ?? "/"}${user.name}`;
}

function mfaSerialOf(user: UserInput): string | undefined {
  const device = user.mfaDevices?.[0];
  if (device === undefined) return undefined;
  return device.serial ?? `arn:aws:iam::${user.account}:mfa/${device.name}`;
}

/** Users a role's trust policy names by ARN in an Allow for sts:AssumeRole. */
function trustedUsers(role: RoleInput, users: UserInput[]): UserInput[] {
  const byArn = new Map(users.map((user) => [userArn(user), user]));
  const found: UserInput[] = [];
  for (const statement of listOf((role.trust as PolicyDocument).Statement)) {
    if (statement.Effect !== "Allow") continue;
    const actions = listOf(statement.Action).map((action) => action.toLowerCase());
    if (!actions.some((action) => action === "sts:assumerole" || action === "sts:*" || action === "*"))
      continue;
    const principal = statement.Principal;
    if (principal === undefined || principal === "*") continue;
    for (const arn of listOf(principal.AWS)) {
      const user = byArn.get(arn);
      if (user !== undefined && !found.includes(user)) found.push(user);
    }
  }
  return found;
}

export function addRoleProfiles(draft: WorldDraft, isFromTemplate: (origin: Origin) => boolean): void {
  const taken = new Set([
    ...draft.sections.profiles.map((profile) => profile.name),
    ...draft.sections.users.map((user) => user.name),
  ]);
  const unique = (wanted: string): string => {
    const base = wanted.replace(PROFILE_CHARS, "-").slice(0, MAX_PROFILE_NAME);
    let name = base;
    for (let counter = 2; taken.has(name); counter++) {
      const suffix = `-${counter}`;
      name = base.slice(0, MAX_PROFILE_NAME - suffix.length) + suffix;
    }
    taken.add(name);
    return name;
  };
  const users = draft.sections.users;
  draft.sections.roles.forEach((role, index) => {
    const origin = draft.origins.roles[index]!;
    if (!isFromTemplate(origin)) return;
    const trusted = trustedUsers(role, users);
    for (const user of trusted) {
      const arn = userArn(user);
      const source =
        draft.sections.profiles.find((profile) => profile.user === arn || profile.user === user.name)?.name ??
        user.name;
      const serial = mfaSerialOf(user);
      draft.add(
        "profiles",
        {
          name: unique(trusted.length === 1 ? role.name : `${role.name}-${user.name}`),
          role: `arn:aws:iam::${role.account}:role${role.path ?? "/"}${role.name}`,
          sourceProfile: source,
          ...(serial === undefined ? {} : { mfaSerial: serial }),
        },
        origin,
      );
    }
  });
}
