// The AWS config and shared-credentials files a sandbox writes, so any AWS SDK or CLI reaches it by profile name.

import { chmodSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../state/atomic-file.js";
import type { ConfigProfile, IamUser, World } from "../world/model.js";

export interface AwsFilePaths {
  configPath: string;
  credentialsPath: string;
}

/** The profiles a world asks for; a hand-built World without `profiles` gets one user profile per user. */
export function profilesOf(world: World): ConfigProfile[] {
  return (
    world.profiles ??
    world.users.map(
      (user): ConfigProfile => ({ kind: "user", name: user.name, region: world.region, userArn: user.arn }),
    )
  );
}

// INI has no escaping: a line break in a value would start a new key. World values are validated, but
// this file holds secrets, so check again rather than trust every caller.
function iniValue(value: string | number, what: string): string {
  const text = String(value);
  if (/[\r\n]/.test(text) || text.trim() !== text || text === "") {
    throw new TypeError(
      `cannot write ${what} to an AWS config file: it is empty, has a line break or surrounding spaces`,
    );
  }
  return text;
}

function section(header: string, entries: [string, string | number][]): string {
  const lines = [`[${iniValue(header, "a profile name")}]`];
  for (const [key, value] of entries) lines.push(`${key} = ${iniValue(value, key)}`);
  return `${lines.join("\n")}\n`;
}

/** Renders the config file: every profile with `region` and `endpoint_url`, role profiles with their role keys. */
export function renderConfigFile(world: World, endpoint: string): string {
  const parts = [
    "# Written by `tobira sandbox` for its endpoint; rewritten on every start, so edits here are lost.\n",
  ];
  for (const profile of profilesOf(world)) {
    const entries: [string, string | number][] = [
      ["region", profile.region],
      ["endpoint_url", endpoint],
    ];
    if (profile.kind === "role") {
      entries.push(["role_arn", profile.roleArn], ["source_profile", profile.sourceProfile]);
      if (profile.mfaSerial !== undefined) entries.push(["mfa_serial", profile.mfaSerial]);
      if (profile.durationSeconds !== undefined) entries.push(["duration_seconds", profile.durationSeconds]);
    }
    parts.push(section(`profile ${profile.name}`, entries));
  }
  parts.push(...identityCenterSections(world, endpoint));
  return parts.join("\n");
}

/** The name of the `[sso-session …]` section the sandbox writes for its Identity Center instance. */
export const SANDBOX_SSO_SESSION = "sandbox";

/**
 * The Identity Center instance as the AWS CLI's `aws configure sso` writes it: one `[sso-session]` and one
 * profile per assigned permission set and account, `sso-<set>-<account>`. `endpoint_url` in the sso-session
 * is tobira's reading (the AWS CLI ignores it) so that `tobira sso login --sso-session` reaches the sandbox.
 */
function identityCenterSections(world: World, endpoint: string): string[] {
  const instance = world.identityCenter;
  if (!instance) return [];
  const out = [
    section(`sso-session ${SANDBOX_SSO_SESSION}`, [
      ["sso_start_url", instance.startUrl],
      ["sso_region", instance.region],
      ["sso_registration_scopes", "sso:account:access"],
      ["endpoint_url", endpoint],
    ]),
  ];
  const seen = new Set<string>();
  for (const assignment of instance.assignments) {
    const name = `sso-${assignment.permissionSet}-${assignment.account}`;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(
      section(`profile ${name}`, [
        ["sso_session", SANDBOX_SSO_SESSION],
        ["sso_account_id", assignment.account],
        ["sso_role_name", assignment.permissionSet],
        ["region", world.region],
        ["endpoint_url", endpoint],
      ]),
    );
  }
  return out;
}

/** Renders the credentials file: each user profile with its user's first active access key. */
export function renderCredentialsFile(world: World): string {
  const usersByArn = new Map<string, IamUser>(world.users.map((user) => [user.arn, user]));
  const parts = ["# Sandbox-only keys written by `tobira sandbox`; they open nothing but the sandbox.\n"];
  for (const profile of profilesOf(world)) {
    if (profile.kind !== "user") continue;
    const key = usersByArn
      .get(profile.userArn)
      ?.accessKeys.find((candidate) => candidate.status === "Active");
    if (key === undefined) continue; // a user without an active key has a profile but no credentials
    parts.push(
      section(profile.name, [
        ["aws_access_key_id", key.id],
        ["aws_secret_access_key", key.secret],
      ]),
    );
  }
  return parts.join("\n");
}

function ensurePrivateFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stats = statSync(folder);
  if (!stats.isDirectory())
    throw new Error(`${folder} is not a folder; give the sandbox a folder for its state`);
  if ((stats.mode & 0o777) !== 0o700) chmodSync(folder, 0o700);
}

/**
 * Writes `<stateDir>/config` and `<stateDir>/credentials` (both 0600, atomically; the folder 0700) for a
 * sandbox serving `world` at `endpoint` (e.g. "http://127.0.0.1:4566").
 */
export function writeAwsFiles(stateDir: string, world: World, endpoint: string): AwsFilePaths {
  if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(endpoint)) {
    throw new TypeError(
      `endpoint must be an http(s) URL such as "http://127.0.0.1:4566", got ${JSON.stringify(endpoint)}`,
    );
  }
  ensurePrivateFolder(stateDir);
  const configPath = join(stateDir, "config");
  const credentialsPath = join(stateDir, "credentials");
  writeFileAtomic(configPath, renderConfigFile(world, endpoint));
  writeFileAtomic(credentialsPath, renderCredentialsFile(world));
  return { configPath, credentialsPath };
}
