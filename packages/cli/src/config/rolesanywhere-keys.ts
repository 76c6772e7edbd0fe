// tobira's own config keys for IAM Roles Anywhere: a profile that writes `tobira_rolesanywhere_certificate`
// (and the other `tobira_rolesanywhere_*` keys) gets its credentials from that certificate. The AWS CLI and
// SDKs ignore these keys; tobira reads them wherever a profile's credentials are needed.
import type { ProfileView } from "./profile-view.js";

export const ROLES_ANYWHERE_PREFIX = "tobira_rolesanywhere_";
/** The key that makes a profile a Roles Anywhere one. */
export const ROLES_ANYWHERE_MARKER = `${ROLES_ANYWHERE_PREFIX}certificate`;

/** The profile's tobira_rolesanywhere_* keys without the prefix (certificate, private_key, …), its region and endpoint_url. */
export function rolesAnywhereSettings(view: ProfileView): Record<string, string> | undefined {
  if (!view.keys.has(ROLES_ANYWHERE_MARKER)) return undefined;
  const settings: Record<string, string> = {};
  for (const [key, setting] of view.keys) {
    if (key.startsWith(ROLES_ANYWHERE_PREFIX))
      settings[key.slice(ROLES_ANYWHERE_PREFIX.length)] = setting.value;
  }
  const endpoint = view.keys.get("endpoint_url");
  // The profile's endpoint_url yields to AWS_ENDPOINT_URL(_ROLESANYWHERE), as for every AWS client.
  if (endpoint !== undefined) settings.profile_endpoint_url = endpoint.value;
  const region = view.keys.get("region");
  if (region !== undefined && settings.region === undefined) settings.region = region.value;
  return settings;
}
