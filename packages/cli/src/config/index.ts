// The config folder's public face: read the AWS config files, resolve a profile into its credential chain,
// list profiles. Everything else in this folder is an implementation step.

export { type ConfigFilePaths, configFilePaths } from "./file-paths.js";
export { listProfiles } from "./list-profiles.js";
export { type LoadConfigFilesOptions, loadConfigFiles } from "./load-files.js";
export { describeKey, describeSection } from "./origin.js";
export { closeNames, profileNameFrom } from "./profile-names.js";
export { profileView } from "./profile-view.js";
export { type ResolveProfileOptions, resolveProfile } from "./resolve-profile.js";
export {
  profileSsoSession,
  profileSsoSettings,
  type SsoProfileSettings,
  type SsoSessionSettings,
  ssoSessionSettings,
} from "./sso-settings.js";
export type {
  ConfigFileInfo,
  ConfigFiles,
  CredentialSource,
  Env,
  IgnoredSection,
  IniSection,
  KeyOrigin,
  ProfileKind,
  ProfileListing,
  ProfileSections,
  ProfileSettings,
  ResolvedProfile,
  RoleHop,
  Setting,
  SourceUser,
  StaticKeysFromFile,
} from "./types.js";
