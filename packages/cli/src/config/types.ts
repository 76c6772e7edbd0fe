// The plain data the config modules pass around: files as read, and a profile resolved into a credential chain.
// Every setting keeps where it was written so an error can name the file, the section and the key.

/** Environment variables as a plain map (process.env or a test's own). */
export type Env = Readonly<Record<string, string | undefined>>;

/** Where one key was written. `section` is the header text between the brackets, as written. */
export interface KeyOrigin {
  file: string;
  section: string;
  /** The key as written (case preserved). */
  key: string;
  /** 1-based line number. */
  line: number;
}

/** One `key = value` line: the value as the AWS CLI reads it (config/ini-layout.ts), and where it stands. */
export interface Setting {
  value: string;
  origin: KeyOrigin;
}

/** One section of one file. `keys` is keyed by the lower-cased key name (the AWS CLI reads keys case-insensitively). */
export interface IniSection {
  file: string;
  /** The header text between the brackets, as written: `profile switch`, `default`, `alice`. */
  header: string;
  line: number;
  keys: ReadonlyMap<string, Setting>;
}

/** A profile's sections: `[profile NAME]` (or `[default]`) in the config file, `[NAME]` in the credentials file. */
export interface ProfileSections {
  name: string;
  config?: IniSection;
  credentials?: IniSection;
}

/** A section that AWS SDKs skip (wrong header form, a name they cannot read); kept for hints. */
export interface IgnoredSection {
  file: string;
  header: string;
  line: number;
  reason: string;
  /** The profile name the user most likely meant, when there is one. */
  meant?: string;
}

export interface ConfigFileInfo {
  path: string;
  /** false when the file does not exist (not an error, as for the AWS CLI). */
  found: boolean;
}

/** Both files, read: what `resolveProfile` and `listProfiles` work on. */
export interface ConfigFiles {
  configFile: ConfigFileInfo;
  credentialsFile: ConfigFileInfo;
  /** Every profile of both files, in the order first seen (config file first). */
  profiles: ReadonlyMap<string, ProfileSections>;
  /** `[sso-session NAME]` sections of the config file. */
  ssoSessions: ReadonlyMap<string, IniSection>;
  ignored: readonly IgnoredSection[];
}

/** Long-term (or session) keys written in a file. Secrets: never print, log or put in an error. */
export interface StaticKeysFromFile {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  file: string;
  section: string;
}

/** Where the first credentials of the chain come from. */
export type CredentialSource =
  | {
      kind: "static";
      /** The profile whose long-term keys start the chain (tobira looks them up in its vault first). */
      profile: string;
      /** Keys found in the config or credentials file for that profile: a fallback the credentials layer decides on. */
      fromFile?: StaticKeysFromFile;
    }
  | { kind: "process"; profile: string; command: string }
  /** tobira_rolesanywhere_* keys: a certificate exchanged for role credentials (config/rolesanywhere-keys.ts). */
  | { kind: "rolesanywhere"; profile: string; settings: Record<string, string> }
  /** IAM Identity Center: GetRoleCredentials with the cached access token of the profile's sso-session. */
  | { kind: "sso"; profile: string; sso: SsoProfileSettings }
  | { kind: "environment" | "ec2-metadata" | "ecs-container"; profile: string };

/** One AssumeRole, as a profile describes it. */
export interface RoleHop {
  profile: string;
  roleArn: string;
  mfaSerial?: string;
  externalId?: string;
  roleSessionName?: string;
  durationSeconds?: number;
  sessionTags?: Record<string, string>;
  transitiveSessionTags?: string[];
  sourceIdentity?: string;
  /** This hop's own `region` (never inherited). */
  region?: string;
  /** This hop's own `endpoint_url` (never inherited). */
  endpointUrl?: string;
}

/** The target profile's own settings, as written (nothing inherited from source profiles). */
export interface ProfileSettings {
  region?: string;
  endpointUrl?: string;
  output?: string;
  /** The target's own mfa_serial (the AWS CLI never inherits it from source_profile). */
  mfaSerial?: string;
  /** aws-vault's `mfa_process`: a command that prints an MFA code. */
  mfaProcess?: string;
  durationSeconds?: number;
  /** Every `tobira_*` key, lower-cased name → value as written. */
  tobira: Record<string, string>;
}

/** The IAM user whose long-term keys start the chain, for "one MFA per working session". */
export interface SourceUser {
  profile: string;
  /** The user's MFA device: the user profile's own mfa_serial, else the first one a hop names. */
  mfaSerial?: string;
  /** The profile that named `mfaSerial`. */
  mfaSerialProfile?: string;
}

export interface ResolvedProfile {
  name: string;
  source: CredentialSource;
  /** From the source to the target: roles[0] is assumed with the source's credentials. */
  roles: RoleHop[];
  settings: ProfileSettings;
  /** Effective region: AWS_REGION, then AWS_DEFAULT_REGION, then the profile's `region`. */
  region?: string;
  regionFrom?: "AWS_REGION" | "AWS_DEFAULT_REGION" | "profile";
  /** Effective endpoint: AWS_ENDPOINT_URL, then the profile's `endpoint_url`. */
  endpointUrl?: string;
  endpointUrlFrom?: "AWS_ENDPOINT_URL" | "profile";
  /** Present when the source is an IAM user's long-term keys. */
  sourceUser?: SourceUser;
}

export type ProfileKind =
  | "user"
  | "role"
  | "process"
  | "rolesanywhere"
  | "sso"
  | "web-identity"
  | "console-login";

export interface ProfileListing {
  name: string;
  kind: ProfileKind;
  /** Keys are written in a file for this profile. */
  hasFileKeys: boolean;
  roleArn?: string;
  sourceProfile?: string;
  region?: string;
  mfaSerial?: string;
  /** Why the profile cannot be used, when it cannot (the resolver's error message). */
  problem?: string;
}

/** The sign-in half: what `tobira sso login` needs, and whose token the cache file holds. */
export interface SsoSessionSettings {
  /** The sso-session's name; absent for the legacy form (the token is then keyed by the start URL). */
  sessionName?: string | undefined;
  startUrl: string;
  /** Where the OIDC service and the portal are (sso_region). */
  region: string;
  /** Scopes the client registers with; the legacy form registers none (and gets no refresh token). */
  registrationScopes: string[];
  /** tobira's reading of `endpoint_url` in the sso-session section. */
  endpointUrl?: string | undefined;
}

/** The whole of a profile's SSO settings: the session and the role it asks for. */
export interface SsoProfileSettings extends SsoSessionSettings {
  accountId: string;
  roleName: string;
}
