// One profile's effective keys: its config section, overlaid by its credentials section (as the AWS CLI merges
// them), laid over whatever aws-vault's `include_profile` pulls in beneath.
import { ConfigError } from "../errors.js";
import { describeKey } from "./origin.js";
import type { ConfigFiles, IniSection, Setting } from "./types.js";

/** Keys that hold credentials: they belong to the profile they are written in and are never included. */
export const STATIC_KEY_NAMES = [
  "aws_access_key_id",
  "aws_secret_access_key",
  "aws_session_token",
  "aws_security_token",
];

export interface ProfileView {
  name: string;
  /** Lower-cased key → setting, after merging and include_profile. */
  keys: ReadonlyMap<string, Setting>;
  /** The sections written for this profile itself (for messages and for where static keys come from). */
  config?: IniSection | undefined;
  credentials?: IniSection | undefined;
}

export function profileView(files: ConfigFiles, name: string): ProfileView {
  return viewWithIncludes(files, name, []);
}

function viewWithIncludes(files: ConfigFiles, name: string, including: string[]): ProfileView {
  const sections = files.profiles.get(name);
  const own = new Map<string, Setting>();
  // The AWS CLI loads the config file, then lets the credentials file's keys win for the same profile.
  for (const [key, setting] of sections?.config?.keys ?? []) own.set(key, setting);
  for (const [key, setting] of sections?.credentials?.keys ?? []) own.set(key, setting);

  const include = own.get("include_profile");
  if (!include) return { name, keys: own, config: sections?.config, credentials: sections?.credentials };

  const target = include.value;
  const chain = [...including, name];
  if (chain.includes(target)) {
    throw new ConfigError(
      `include_profile loop: ${[...chain, target].join(" → ")} (${describeKey(include.origin)}).`,
      { hint: "Remove include_profile from one of these profiles so the chain ends." },
    );
  }
  if (!files.profiles.has(target)) {
    throw new ConfigError(
      `profile "${name}": include_profile names "${target}", which is not defined (${describeKey(include.origin)}).`,
      { hint: `Define [profile ${target}] in ${files.configFile.path}, or fix the name.` },
    );
  }
  const base = viewWithIncludes(files, target, chain);
  const merged = new Map<string, Setting>();
  for (const [key, setting] of base.keys) {
    if (!STATIC_KEY_NAMES.includes(key)) merged.set(key, setting);
  }
  for (const [key, setting] of own) merged.set(key, setting);
  return { name, keys: merged, config: sections?.config, credentials: sections?.credentials };
}
