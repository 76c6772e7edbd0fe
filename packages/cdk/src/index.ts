// @tobira/cdk: constructs for MFA-enforcing operator groups and tag-based Session Manager roles.

export { ABAC_TAG_KEYS, PROJECT_TAG, RUN_AS_TAG } from "./abac-tags.js";
export { ConstructPropsError } from "./construct-error.js";
export { MfaEnforcedGroup, type MfaEnforcedGroupProps } from "./mfa-enforced-group.js";
export { EMAIL_TAG, type OperatorUser, OperatorUsers, type OperatorUsersProps } from "./operator-users.js";
export { SessionAccessRole, type SessionAccessRoleProps } from "./session-access-role.js";
export {
  type SessionDocument,
  SHELL_DOCUMENT,
  sessionDocumentArn,
  sessionDocumentName,
} from "./session-documents.js";
export { SessionKey, type SessionKeyProps } from "./session-key.js";
export {
  PREFERENCES_RESOURCE_TYPE,
  type PreferencesContent,
  preferencesContent,
  type SessionLogging,
  SessionPreferences,
  type SessionPreferencesProps,
} from "./session-preferences.js";
