// Lists every profile with what kind it is, for `tobira list`; a profile that cannot be resolved is listed
// with the reason instead of failing the whole listing.
import { ownSource, staticKeysIn } from "./own-source.js";
import { profileView } from "./profile-view.js";
import { type ResolveProfileOptions, resolveProfile } from "./resolve-profile.js";
import type { ConfigFiles, ProfileKind, ProfileListing } from "./types.js";

export function listProfiles(files: ConfigFiles, options: ResolveProfileOptions = {}): ProfileListing[] {
  const stored = new Set(options.storedKeys ?? []);
  const listing: ProfileListing[] = [];
  for (const name of [...files.profiles.keys()].sort((a, b) => a.localeCompare(b))) {
    const sections = files.profiles.get(name);
    const entry: ProfileListing = { name, kind: "user", hasFileKeys: false };
    try {
      entry.hasFileKeys = !!staticKeysIn(sections?.credentials) || !!staticKeysIn(sections?.config);
      const view = profileView(files, name);
      const own = ownSource(view, { isTarget: true, vaultHasKeys: stored.has(name) });
      entry.kind = kindOf(own);
      const read = (key: string): string | undefined => view.keys.get(key)?.value;
      const roleArn = read("role_arn");
      if (entry.kind === "role" && roleArn !== undefined) entry.roleArn = roleArn;
      const sourceProfile = read("source_profile");
      if (entry.kind === "role" && sourceProfile !== undefined) entry.sourceProfile = sourceProfile;
      const region = read("region");
      if (region !== undefined) entry.region = region;
      const mfaSerial = read("mfa_serial");
      if (mfaSerial !== undefined) entry.mfaSerial = mfaSerial;
      resolveProfile(files, name, options);
    } catch (error) {
      entry.problem = error instanceof Error ? error.message : String(error);
    }
    listing.push(entry);
  }
  return listing;
}

function kindOf(own: ReturnType<typeof ownSource>): ProfileKind {
  switch (own.kind) {
    case "role":
      return "role";
    case "process":
      return "process";
    case "rolesanywhere":
      return "rolesanywhere";
    case "static":
      return "user";
    case "sso":
      return "sso";
    case "unsupported":
      return own.what;
  }
}
