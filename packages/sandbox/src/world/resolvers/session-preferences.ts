// Resolves the world's Session Manager preferences: one document per account and Region, whose KMS key
// must exist there.

import type { KmsKey, SessionPreferences } from "../model.js";
import { preferenceSettings } from "../preference-settings.js";
import { FirstClaims } from "./first-claims.js";
import type { Path } from "./issue-list.js";
import { kmsKeyReferenceProblem } from "./kms-keys.js";
import type { ResolveScope } from "./resolve-scope.js";

export function resolveSessionPreferences(scope: ResolveScope, kmsKeys: KmsKey[]): SessionPreferences[] {
  const { file, issues } = scope;
  const scopes = new FirstClaims<number>();
  return file.sessionPreferences.map((preferences, index) => {
    const path: Path = ["sessionPreferences", index];
    scope.accounts.check([...path, "account"], preferences.account);
    const region = preferences.region ?? file.region;
    const first = scopes.claim(`${preferences.account}/${region}`, index);
    if (first !== undefined) {
      issues.add(
        path,
        `account ${preferences.account} already has preferences for ${region} (sessionPreferences[${first}])`,
      );
    }
    if (preferences.kmsKeyId !== "") {
      const problem = kmsKeyReferenceProblem(kmsKeys, preferences.kmsKeyId, preferences.account, region);
      if (problem !== undefined) issues.add([...path, "kmsKeyId"], problem);
    }
    return { account: preferences.account, region, ...preferenceSettings(preferences) };
  });
}
