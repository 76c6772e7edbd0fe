// Checks that each role profile's source_profile leads, without a loop, to a user profile.

import { unknownMessage } from "./issue-list.js";
import type { ProfileBook } from "./profile-book.js";
import type { ResolveScope } from "./resolve-scope.js";

export function checkSourceProfiles(scope: ResolveScope, book: ProfileBook): void {
  const byName = new Map(book.profiles.map((profile) => [profile.name, profile]));
  book.declared.forEach((profile, index) => {
    if (profile.role === undefined || profile.sourceProfile === undefined) return;
    const problem = sourceChainProblem(profile.name, profile.sourceProfile, byName, book.names);
    if (problem !== undefined) scope.issues.add(["profiles", index, "sourceProfile"], problem);
  });
}

/** What is wrong with the chain from `start` through source profiles, or undefined when it ends at a user. */
function sourceChainProblem(
  start: string,
  source: string,
  byName: ReadonlyMap<string, ProfileBook["profiles"][number]>,
  names: ProfileBook["names"],
): string | undefined {
  const seen = new Set<string>([start]);
  let current = source;
  for (;;) {
    const next = byName.get(current);
    if (next === undefined) {
      return names.has(current) ? undefined : unknownMessage("profile", current, [...byName.keys()]);
    }
    if (seen.has(current)) return `source profiles form a loop: ${[...seen, current].join(" → ")}`;
    if (next.kind === "user") return undefined;
    seen.add(current);
    current = next.sourceProfile;
  }
}
