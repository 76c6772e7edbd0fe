// The settings of a Session Manager preferences document (all but its account and Region), copied the one
// way the world resolver, the templates' base world and SSM-SessionManagerRunShell's `inputs` all copy them.

import type { SessionPreferences } from "./model.js";

export type PreferenceSettings = Omit<SessionPreferences, "account" | "region">;

export function preferenceSettings(source: PreferenceSettings): PreferenceSettings {
  return {
    kmsKeyId: source.kmsKeyId,
    runAsEnabled: source.runAsEnabled,
    runAsDefaultUser: source.runAsDefaultUser,
    idleSessionTimeout: source.idleSessionTimeout,
    maxSessionDuration: source.maxSessionDuration,
    shellProfile: { ...source.shellProfile },
  };
}
