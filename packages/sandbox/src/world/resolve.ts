// Cross-references and derived values: checks that a schema-valid world file is consistent (accounts, groups,
// policies, roles, keys, devices, profiles exist and are unique) and fills ARNs, unique ids and defaults.

import type { PolicyDocument, Statement } from "../policy/types.js";
import {
  accessKeyIdFor,
  iamArn,
  kmsKeyArn,
  kmsKeyIdFor,
  mfaSerialFor,
  privateDnsNameFor,
  secretAccessKeyFor,
  uniqueIdFor,
} from "./ids.js";
import { closest, type PathSegment, type WorldIssue } from "./issues.js";
import type {
  ConfigProfile,
  IamGroup,
  IamRole,
  IamUser,
  Instance,
  KmsKey,
  ManagedPolicy,
  SessionPreferences,
  World,
} from "./model.js";
import { DEFAULT_CREATED, MFA_SERIAL_PATTERN, type WorldFile } from "./schema.js";

type Path = PathSegment[];

/** Collects problems so one run reports all of them, not just the first. */
class IssueList {
  readonly items: WorldIssue[] = [];
  add(path: Path, message: string): void {
    this.items.push({ path, message });
  }
}

function knownList(names: Iterable<string>): string {
  const list = [...names];
  if (list.length === 0) return "none are declared";
  const shown = list.slice(0, 6).map((name) => JSON.stringify(name));
  return `known: ${shown.join(", ")}${list.length > 6 ? ", …" : ""}`;
}

function unknownMessage(what: string, name: string, known: string[], where = ""): string {
  const guess = closest(name, known);
  const hint = guess === undefined ? knownList(known) : `did you mean "${guess}"?`;
  return `unknown ${what} "${name}"${where} (${hint})`;
}

function statementsOf(document: PolicyDocument, path: Path): { statement: Statement; path: Path }[] {
  if (Array.isArray(document.Statement)) {
    return document.Statement.map((statement, index) => ({ statement, path: [...path, "Statement", index] }));
  }
  return [{ statement: document.Statement, path: [...path, "Statement"] }];
}

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

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

export function resolveWorld(file: WorldFile): { world: World; issues: WorldIssue[] } {
  const issues = new IssueList();
  const accountIds = new Set<string>();

  // Accounts.
  const accounts = file.accounts.map((account, index) => {
    if (accountIds.has(account.id))
      issues.add(["accounts", index, "id"], `duplicate account "${account.id}"`);
    accountIds.add(account.id);
    return { id: account.id, alias: account.alias ?? "" };
  });
  const aliases = new Map<string, number>();
  file.accounts.forEach((account, index) => {
    if (account.alias === undefined) return;
    const first = aliases.get(account.alias);
    if (first !== undefined) {
      issues.add(
        ["accounts", index, "alias"],
        `alias "${account.alias}" is already used by accounts[${first}]`,
      );
    } else aliases.set(account.alias, index);
  });

  const checkAccount = (path: Path, account: string): boolean => {
    if (accountIds.has(account)) return true;
    issues.add(
      path,
      `unknown account "${account}" (the world declares ${[...accountIds].join(", ") || "none"})`,
    );
    return false;
  };

  // IAM names are unique per account regardless of case, as in IAM.
  const claimName = (seen: Map<string, string>, what: string, account: string, name: string, path: Path) => {
    const key = `${account}/${name.toLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined)
      issues.add(path, `duplicate ${what} "${name}" in account ${account} (also ${first})`);
    else seen.set(key, `${path[0]}[${path[1]}]`);
  };

  const checkIdentityPolicy = (document: PolicyDocument, path: Path) => {
    for (const { statement, path: statementPath } of statementsOf(document, path)) {
      for (const key of ["Principal", "NotPrincipal"] as const) {
        if (statement[key] !== undefined) {
          issues.add([...statementPath, key], "an identity-based policy cannot name a principal");
        }
      }
    }
  };

  // Managed policies.
  const policiesByArn = new Map<string, ManagedPolicy>();
  const policyNames = new Map<string, string>();
  const managedPolicies: ManagedPolicy[] = file.managedPolicies.map((policy, index) => {
    const path: Path = ["managedPolicies", index];
    if (policy.account !== "aws") checkAccount([...path, "account"], policy.account);
    claimName(policyNames, "managed policy", policy.account, policy.name, [...path, "name"]);
    checkIdentityPolicy(policy.document, [...path, "document"]);
    const resolved: ManagedPolicy = {
      name: policy.name,
      arn: iamArn(policy.account, "policy", policy.path, policy.name),
      account: policy.account,
      document: policy.document,
      path: policy.path,
      description: policy.description,
    };
    policiesByArn.set(resolved.arn, resolved);
    return resolved;
  });

  // A reference is an ARN, or a name looked up first in the owner's account, then among AWS-managed ones.
  const resolvePolicyRefs = (refs: string[], owner: string, path: Path): string[] =>
    refs.flatMap((ref, index) => {
      const refPath = [...path, index];
      if (ref.startsWith("arn:")) {
        const policy = policiesByArn.get(ref);
        if (policy === undefined) {
          issues.add(refPath, unknownMessage("managed policy", ref, [...policiesByArn.keys()]));
          return [];
        }
        if (policy.account !== "aws" && policy.account !== owner) {
          issues.add(
            refPath,
            `policy ${ref} belongs to account ${policy.account}; only account ${owner}'s own or AWS-managed policies can be attached here`,
          );
          return [];
        }
        return [ref];
      }
      const match =
        managedPolicies.find((policy) => policy.account === owner && policy.name === ref) ??
        managedPolicies.find((policy) => policy.account === "aws" && policy.name === ref);
      if (match === undefined) {
        const usable = managedPolicies
          .filter((p) => p.account === owner || p.account === "aws")
          .map((p) => p.name);
        issues.add(refPath, unknownMessage("managed policy", ref, usable, ` for account ${owner}`));
        return [];
      }
      return [match.arn];
    });

  const checkInlinePolicies = (policies: Record<string, PolicyDocument>, path: Path) => {
    for (const [name, document] of Object.entries(policies)) checkIdentityPolicy(document, [...path, name]);
  };

  // Groups.
  const groupNames = new Map<string, string>();
  const groups: IamGroup[] = file.groups.map((group, index) => {
    const path: Path = ["groups", index];
    checkAccount([...path, "account"], group.account);
    claimName(groupNames, "group", group.account, group.name, [...path, "name"]);
    checkInlinePolicies(group.inlinePolicies, [...path, "inlinePolicies"]);
    return {
      name: group.name,
      account: group.account,
      arn: iamArn(group.account, "group", group.path, group.name),
      inlinePolicies: group.inlinePolicies,
      managedPolicies: resolvePolicyRefs(group.managedPolicies, group.account, [...path, "managedPolicies"]),
      path: group.path,
      groupId: uniqueIdFor("AGPA", group.account, group.name),
      created: group.created ?? DEFAULT_CREATED,
    };
  });

  // Users, their access keys and MFA devices.
  const userNames = new Map<string, string>();
  const accessKeyOwners = new Map<string, string>();
  const mfaSerials = new Map<string, string>();
  const users: IamUser[] = file.users.map((user, index) => {
    const path: Path = ["users", index];
    checkAccount([...path, "account"], user.account);
    claimName(userNames, "user", user.account, user.name, [...path, "name"]);
    checkInlinePolicies(user.inlinePolicies, [...path, "inlinePolicies"]);
    const arn = iamArn(user.account, "user", user.path, user.name);

    user.groups.forEach((groupName, groupIndex) => {
      const found = groups.some((group) => group.account === user.account && group.name === groupName);
      if (!found) {
        const known = groups.filter((group) => group.account === user.account).map((group) => group.name);
        issues.add(
          [...path, "groups", groupIndex],
          unknownMessage("group", groupName, known, ` in account ${user.account}`),
        );
      }
    });

    const accessKeys = user.accessKeys.map((key, keyIndex) => {
      const id = key.id ?? accessKeyIdFor(user.account, user.name, keyIndex);
      const owner = accessKeyOwners.get(id);
      if (owner !== undefined) {
        issues.add([...path, "accessKeys", keyIndex, "id"], `duplicate access key id ${id} (also ${owner})`);
      } else accessKeyOwners.set(id, `users[${index}] ${user.name}`);
      return {
        id,
        secret: key.secret ?? secretAccessKeyFor(user.account, user.name, keyIndex),
        status: key.status,
        created: key.created ?? user.created ?? DEFAULT_CREATED,
      };
    });

    const mfaDevices = user.mfaDevices.map((device, deviceIndex) => {
      const devicePath: Path = [...path, "mfaDevices", deviceIndex];
      let serial = device.serial ?? mfaSerialFor(user.account, device.name ?? "");
      const serialAccount = MFA_SERIAL_PATTERN.exec(serial)?.[1];
      if (device.serial !== undefined && serialAccount !== user.account) {
        issues.add(
          [...devicePath, "serial"],
          `the device's account ${serialAccount} differs from the user's account ${user.account}; a user's MFA device lives in the user's account`,
        );
        serial = device.serial;
      }
      const owner = mfaSerials.get(serial);
      if (owner !== undefined) {
        issues.add(devicePath, `duplicate MFA device ${serial} (also ${owner})`);
      } else mfaSerials.set(serial, `users[${index}] ${user.name}`);
      // Stored canonical: upper case, no padding, as AWS's Base32StringSeed.
      return { serial, secret: device.secret.toUpperCase().replace(/=+$/, "") };
    });

    return {
      name: user.name,
      account: user.account,
      path: user.path,
      userId: uniqueIdFor("AIDA", user.account, user.name),
      arn,
      accessKeys,
      mfaDevices,
      tags: user.tags,
      groups: user.groups,
      inlinePolicies: user.inlinePolicies,
      managedPolicies: resolvePolicyRefs(user.managedPolicies, user.account, [...path, "managedPolicies"]),
      created: user.created ?? DEFAULT_CREATED,
    };
  });

  // Roles.
  const roleNames = new Map<string, string>();
  const roles: IamRole[] = file.roles.map((role, index) => {
    const path: Path = ["roles", index];
    checkAccount([...path, "account"], role.account);
    claimName(roleNames, "role", role.account, role.name, [...path, "name"]);
    checkInlinePolicies(role.inlinePolicies, [...path, "inlinePolicies"]);
    return {
      name: role.name,
      account: role.account,
      path: role.path,
      roleId: uniqueIdFor("AROA", role.account, role.name),
      arn: iamArn(role.account, "role", role.path, role.name),
      trust: role.trust,
      inlinePolicies: role.inlinePolicies,
      managedPolicies: resolvePolicyRefs(role.managedPolicies, role.account, [...path, "managedPolicies"]),
      tags: role.tags,
      maxSessionDuration: role.maxSessionDuration,
      created: role.created ?? DEFAULT_CREATED,
      description: role.description,
    };
  });

  // Resource policies (trust, key) must name principals, and IAM refuses principals that do not exist.
  const principalArns = new Set([...users.map((u) => u.arn), ...roles.map((r) => r.arn)]);
  const checkResourcePolicy = (document: PolicyDocument, path: Path) => {
    for (const { statement, path: statementPath } of statementsOf(document, path)) {
      if (statement.Principal === undefined && statement.NotPrincipal === undefined) {
        issues.add(statementPath, "a trust or key policy statement must name a Principal");
        continue;
      }
      for (const key of ["Principal", "NotPrincipal"] as const) {
        const block = statement[key];
        if (block === undefined || block === "*") continue;
        asList(block.AWS).forEach((principal, principalIndex) => {
          const match = /^arn:aws:iam::(\d{12}):(user|role)\/.+$/.exec(principal);
          if (match === null || !accountIds.has(match[1]!) || principalArns.has(principal)) return;
          const principalPath: Path = Array.isArray(block.AWS)
            ? [...statementPath, key, "AWS", principalIndex]
            : [...statementPath, key, "AWS"];
          issues.add(principalPath, `invalid principal: no ${match[2]} ${principal} in this world`);
        });
      }
    }
  };
  file.roles.forEach((role, index) => {
    checkResourcePolicy(role.trust, ["roles", index, "trust"]);
  });

  // KMS keys.
  const keyIds = new Map<string, string>();
  const keyAliases = new Map<string, string>();
  const kmsKeys: KmsKey[] = file.kmsKeys.map((key, index) => {
    const path: Path = ["kmsKeys", index];
    checkAccount([...path, "account"], key.account);
    const region = key.region ?? file.region;
    const id = key.id ?? kmsKeyIdFor(key.account, region, index);
    if (keyIds.has(id)) issues.add([...path, "id"], `duplicate KMS key id ${id} (also ${keyIds.get(id)})`);
    else keyIds.set(id, `kmsKeys[${index}]`);
    key.aliases.forEach((alias, aliasIndex) => {
      const scoped = `${key.account}/${region}/${alias}`;
      const first = keyAliases.get(scoped);
      if (first !== undefined) {
        issues.add(
          [...path, "aliases", aliasIndex],
          `alias ${alias} already names ${first} in ${key.account}/${region}`,
        );
      } else keyAliases.set(scoped, `kmsKeys[${index}]`);
    });
    const policy = key.policy ?? DEFAULT_KEY_POLICY(key.account);
    if (key.policy !== undefined) checkResourcePolicy(key.policy, [...path, "policy"]);
    return {
      id,
      account: key.account,
      region,
      arn: kmsKeyArn(region, key.account, id),
      aliases: key.aliases,
      policy,
      description: key.description,
      enabled: key.enabled,
    };
  });

  // Session Manager preferences: one document per account and region; its key must exist there.
  const preferenceScopes = new Map<string, number>();
  const sessionPreferences: SessionPreferences[] = file.sessionPreferences.map((preferences, index) => {
    const path: Path = ["sessionPreferences", index];
    checkAccount([...path, "account"], preferences.account);
    const region = preferences.region ?? file.region;
    const scope = `${preferences.account}/${region}`;
    const first = preferenceScopes.get(scope);
    if (first !== undefined) {
      issues.add(
        path,
        `account ${preferences.account} already has preferences for ${region} (sessionPreferences[${first}])`,
      );
    } else preferenceScopes.set(scope, index);
    if (preferences.kmsKeyId !== "") {
      const problem = findKmsKey(kmsKeys, preferences.kmsKeyId, preferences.account, region);
      if (problem !== undefined) issues.add([...path, "kmsKeyId"], problem);
    }
    return {
      account: preferences.account,
      region,
      kmsKeyId: preferences.kmsKeyId,
      runAsEnabled: preferences.runAsEnabled,
      runAsDefaultUser: preferences.runAsDefaultUser,
      idleSessionTimeout: preferences.idleSessionTimeout,
      maxSessionDuration: preferences.maxSessionDuration,
      shellProfile: preferences.shellProfile,
    };
  });

  // Instances.
  const instanceIds = new Map<string, number>();
  const usedIps = new Set(
    file.instances.flatMap((instance) =>
      instance.privateIp === undefined
        ? []
        : [`${instance.account}/${instance.region ?? file.region}/${instance.privateIp}`],
    ),
  );
  const claimedIps = new Map<string, number>();
  let nextHost = 10;
  const instances: Instance[] = file.instances.map((instance, index) => {
    const path: Path = ["instances", index];
    checkAccount([...path, "account"], instance.account);
    const region = instance.region ?? file.region;
    const first = instanceIds.get(instance.id);
    if (first !== undefined)
      issues.add([...path, "id"], `duplicate instance id ${instance.id} (also instances[${first}])`);
    else instanceIds.set(instance.id, index);

    const nameTag = instance.tags.Name;
    if (nameTag !== undefined && nameTag !== instance.name) {
      issues.add(
        [...path, "tags", "Name"],
        `the Name tag "${nameTag}" differs from name "${instance.name}"; give one of them`,
      );
    }
    if (
      instance.role !== "" &&
      !roles.some((role) => role.account === instance.account && role.name === instance.role)
    ) {
      const known = roles.filter((role) => role.account === instance.account).map((role) => role.name);
      issues.add(
        [...path, "role"],
        unknownMessage("role", instance.role, known, ` in account ${instance.account}`),
      );
    }

    let privateIp = instance.privateIp;
    if (privateIp === undefined) {
      // Hand out 10.0.1.10, .11, … skipping addresses the file gives explicitly.
      while (usedIps.has(`${instance.account}/${region}/10.0.1.${nextHost}`)) nextHost++;
      privateIp = `10.0.1.${nextHost++}`;
      usedIps.add(`${instance.account}/${region}/${privateIp}`);
    }
    const ipScope = `${instance.account}/${region}/${privateIp}`;
    const ipOwner = claimedIps.get(ipScope);
    if (ipOwner !== undefined) {
      issues.add(
        [...path, "privateIp"],
        `${privateIp} is already instances[${ipOwner}]'s address in ${instance.account}/${region}`,
      );
    } else claimedIps.set(ipScope, index);

    const ports = new Set<number>();
    instance.ports.forEach((port, portIndex) => {
      if (ports.has(port.port))
        issues.add([...path, "ports", portIndex, "port"], `port ${port.port} is listed twice`);
      ports.add(port.port);
    });

    return {
      id: instance.id,
      account: instance.account,
      region,
      name: instance.name,
      tags: { Name: instance.name, ...instance.tags },
      state: instance.state,
      platform: instance.platform,
      role: instance.role,
      privateIp,
      privateDnsName: instance.privateDnsName ?? privateDnsNameFor(privateIp, region),
      ports: instance.ports.map((port) =>
        port.target === undefined
          ? { port: port.port, service: port.service }
          : { port: port.port, service: port.service, target: port.target },
      ),
      reachableHosts: instance.reachableHosts,
    };
  });

  const profiles = resolveProfiles(file, users, roles, issues);

  const world: World = {
    region: file.region,
    accounts,
    managedPolicies,
    users,
    groups,
    roles,
    kmsKeys,
    sessionPreferences,
    instances,
    profiles,
  };
  return { world, issues: issues.items };
}

/** Undefined when `reference` (key id, key ARN, alias name or alias ARN) names a key of that account and region. */
function findKmsKey(keys: KmsKey[], reference: string, account: string, region: string): string | undefined {
  const local = keys.filter((key) => key.account === account && key.region === region);
  const arn = /^arn:aws:kms:([^:]+):(\d{12}):(key\/.+|alias\/.+)$/.exec(reference);
  let name = reference;
  if (arn !== null) {
    if (arn[1] !== region || arn[2] !== account) {
      return `the key ${reference} is not in ${account}/${region}, where these preferences are`;
    }
    name = arn[3]!.startsWith("key/") ? arn[3]!.slice(4) : arn[3]!;
  }
  if (name.startsWith("alias/")) {
    if (local.some((key) => key.aliases.includes(name))) return undefined;
    return unknownMessage(
      "KMS alias",
      name,
      local.flatMap((key) => key.aliases),
      ` in ${account}/${region}`,
    );
  }
  if (local.some((key) => key.id === name)) return undefined;
  return unknownMessage(
    "KMS key",
    name,
    local.map((key) => key.id),
    ` in ${account}/${region}`,
  );
}

function resolveProfiles(
  file: WorldFile,
  users: IamUser[],
  roles: IamRole[],
  issues: IssueList,
): ConfigProfile[] {
  const declared = file.profiles ?? [];
  const profiles: ConfigProfile[] = [];
  const names = new Map<string, number>();
  const devices = new Set(users.flatMap((user) => user.mfaDevices.map((device) => device.serial)));

  declared.forEach((profile, index) => {
    const path: Path = ["profiles", index];
    const first = names.get(profile.name);
    if (first !== undefined)
      issues.add([...path, "name"], `duplicate profile "${profile.name}" (also profiles[${first}])`);
    else names.set(profile.name, index);
    const region = profile.region ?? file.region;

    if ((profile.user === undefined) === (profile.role === undefined)) {
      issues.add(path, 'a profile names either a "user" or a "role" (with "sourceProfile")');
      return;
    }
    if (profile.user !== undefined) {
      for (const key of ["sourceProfile", "mfaSerial", "durationSeconds"] as const) {
        if (profile[key] !== undefined) issues.add([...path, key], `only role profiles have ${key}`);
      }
      const user = findByNameOrArn(users, profile.user, "user", [...path, "user"], issues);
      if (user !== undefined) profiles.push({ kind: "user", name: profile.name, region, userArn: user.arn });
      return;
    }
    const role = findByNameOrArn(roles, profile.role!, "role", [...path, "role"], issues);
    if (profile.sourceProfile === undefined) {
      issues.add(
        [...path, "sourceProfile"],
        "a role profile needs sourceProfile (the profile whose credentials assume the role)",
      );
    }
    if (profile.mfaSerial !== undefined && !devices.has(profile.mfaSerial)) {
      issues.add([...path, "mfaSerial"], unknownMessage("MFA device", profile.mfaSerial, [...devices]));
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
    if (role === undefined || profile.sourceProfile === undefined) return;
    const resolved: ConfigProfile = {
      kind: "role",
      name: profile.name,
      region,
      roleArn: role.arn,
      sourceProfile: profile.sourceProfile,
    };
    if (profile.mfaSerial !== undefined) resolved.mfaSerial = profile.mfaSerial;
    if (profile.durationSeconds !== undefined) resolved.durationSeconds = profile.durationSeconds;
    profiles.push(resolved);
  });

  // Every user gets a profile named after it unless the file already gives it one.
  for (const user of users) {
    if (profiles.some((profile) => profile.kind === "user" && profile.userArn === user.arn)) continue;
    if (names.has(user.name)) {
      if (declared.some((profile) => profile.name === user.name && profile.user !== undefined)) continue;
      issues.add(
        ["profiles", names.get(user.name)!, "name"],
        `profile "${user.name}" would also be user ${user.arn}'s own profile; rename it or add a user profile for that user`,
      );
      continue;
    }
    names.set(user.name, -1);
    profiles.push({ kind: "user", name: user.name, region: file.region, userArn: user.arn });
  }

  // source_profile must lead, without a loop, to a user profile.
  const byName = new Map(profiles.map((profile) => [profile.name, profile]));
  declared.forEach((profile, index) => {
    if (profile.role === undefined || profile.sourceProfile === undefined) return;
    const seen = new Set<string>([profile.name]);
    let current = profile.sourceProfile;
    for (;;) {
      const next = byName.get(current);
      if (next === undefined) {
        if (!names.has(current)) {
          issues.add(
            ["profiles", index, "sourceProfile"],
            unknownMessage("profile", current, [...byName.keys()]),
          );
        }
        return;
      }
      if (seen.has(current)) {
        issues.add(
          ["profiles", index, "sourceProfile"],
          `source profiles form a loop: ${[...seen, current].join(" → ")}`,
        );
        return;
      }
      if (next.kind === "user") return;
      seen.add(current);
      current = next.sourceProfile;
    }
  });
  return profiles;
}

function findByNameOrArn<T extends { name: string; arn: string; account: string }>(
  entities: T[],
  reference: string,
  what: string,
  path: Path,
  issues: IssueList,
): T | undefined {
  if (reference.startsWith("arn:")) {
    const found = entities.find((entity) => entity.arn === reference);
    if (found === undefined)
      issues.add(
        path,
        unknownMessage(
          what,
          reference,
          entities.map((e) => e.arn),
        ),
      );
    return found;
  }
  const matches = entities.filter((entity) => entity.name === reference);
  if (matches.length === 1) return matches[0];
  if (matches.length === 0)
    issues.add(
      path,
      unknownMessage(
        what,
        reference,
        entities.map((e) => e.name),
      ),
    );
  else issues.add(path, `${what} "${reference}" exists in several accounts; give its ARN`);
  return undefined;
}
