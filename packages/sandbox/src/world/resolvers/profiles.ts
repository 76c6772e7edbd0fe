// Resolves the profiles the sandbox writes to its AWS config file: the declared user and role profiles, and
// one profile per IAM user that the file does not already give one.

import type { ConfigProfile, IamRole, IamUser, RoleProfile } from "../model.js";
import { findByNameOrArn } from "./entity-reference.js";
import { type Path, unknownMessage } from "./issue-list.js";
import type { ProfileBook, ProfileInput } from "./profile-book.js";
import type { ResolveScope } from "./resolve-scope.js";
import { checkSourceProfiles } from "./source-profiles.js";

interface Directory {
  users: IamUser[];
  roles: IamRole[];
  /** Serials of the world's virtual MFA devices. */
  devices: ReadonlySet<string>;
}

function resolveUserProfile(
  scope: ResolveScope,
  profile: ProfileInput,
  path: Path,
  region: string,
  users: IamUser[],
): ConfigProfile | undefined {
  for (const key of ["sourceProfile", "mfaSerial", "durationSeconds"] as const) {
    if (profile[key] !== undefined) scope.issues.add([...path, key], `only role profiles have ${key}`);
  }
  const user = findByNameOrArn(users, profile.user!, "user", [...path, "user"], scope.issues);
  return user === undefined ? undefined : { kind: "user", name: profile.name, region, userArn: user.arn };
}

function resolveRoleProfile(
  scope: ResolveScope,
  profile: ProfileInput,
  path: Path,
  region: string,
  directory: Directory,
): ConfigProfile | undefined {
  const { issues } = scope;
  const role = findByNameOrArn(directory.roles, profile.role!, "role", [...path, "role"], issues);
  if (profile.sourceProfile === undefined) {
    issues.add(
      [...path, "sourceProfile"],
      "a role profile needs sourceProfile (the profile whose credentials assume the role)",
    );
  }
  if (profile.mfaSerial !== undefined && !directory.devices.has(profile.mfaSerial)) {
    issues.add(
      [...path, "mfaSerial"],
      unknownMessage("MFA device", profile.mfaSerial, [...directory.devices]),
    );
  }
  if (
    role !== undefined &&
    profile.durationSeconds !== undefined &&
    profile.durationSeconds > role.maxSessionDuration
  ) {
    issues.add(
      [...path, "durationSeconds"],
      `${profile.durationSeconds} exceeds the role's maxSessionDuration of ${role.maxSessionDuration}`,
    );
  }
  if (role === undefined || profile.sourceProfile === undefined) return undefined;
  const resolved: RoleProfile = {
    kind: "role",
    name: profile.name,
    region,
    roleArn: role.arn,
    sourceProfile: profile.sourceProfile,
  };
  if (profile.mfaSerial !== undefined) resolved.mfaSerial = profile.mfaSerial;
  if (profile.durationSeconds !== undefined) resolved.durationSeconds = profile.durationSeconds;
  return resolved;
}

function resolveDeclaredProfile(
  scope: ResolveScope,
  book: ProfileBook,
  profile: ProfileInput,
  index: number,
  directory: Directory,
): ConfigProfile | undefined {
  const path: Path = ["profiles", index];
  const first = book.names.get(profile.name);
  if (first !== undefined) {
    scope.issues.add([...path, "name"], `duplicate profile "${profile.name}" (also profiles[${first}])`);
  } else book.names.set(profile.name, index);
  const region = profile.region ?? scope.file.region;
  if ((profile.user === undefined) === (profile.role === undefined)) {
    scope.issues.add(path, 'a profile names either a "user" or a "role" (with "sourceProfile")');
    return undefined;
  }
  return profile.user !== undefined
    ? resolveUserProfile(scope, profile, path, region, directory.users)
    : resolveRoleProfile(scope, profile, path, region, directory);
}

/** Every user gets a profile named after it unless the file already gives it one. */
function addOwnUserProfiles(scope: ResolveScope, book: ProfileBook, users: IamUser[]): void {
  const { profiles, names, declared } = book;
  for (const user of users) {
    if (profiles.some((profile) => profile.kind === "user" && profile.userArn === user.arn)) continue;
    if (names.has(user.name)) {
      if (declared.some((profile) => profile.name === user.name && profile.user !== undefined)) continue;
      scope.issues.add(
        ["profiles", names.get(user.name)!, "name"],
        `profile "${user.name}" would also be user ${user.arn}'s own profile; rename it or add a user profile for that user`,
      );
      continue;
    }
    names.set(user.name, -1);
    profiles.push({ kind: "user", name: user.name, region: scope.file.region, userArn: user.arn });
  }
}

export function resolveProfiles(scope: ResolveScope, users: IamUser[], roles: IamRole[]): ConfigProfile[] {
  const book: ProfileBook = { declared: scope.file.profiles ?? [], profiles: [], names: new Map() };
  const devices = new Set(users.flatMap((user) => user.mfaDevices.map((device) => device.serial)));
  book.declared.forEach((profile, index) => {
    const resolved = resolveDeclaredProfile(scope, book, profile, index, { users, roles, devices });
    if (resolved !== undefined) book.profiles.push(resolved);
  });
  addOwnUserProfiles(scope, book, users);
  checkSourceProfiles(scope, book);
  return book.profiles;
}
