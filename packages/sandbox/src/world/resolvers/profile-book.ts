// The profiles being resolved: what the file declares, what resolved so far, and who holds each name.

import type { ConfigProfile } from "../model.js";
import type { WorldFile } from "../schema.js";

export type ProfileInput = NonNullable<WorldFile["profiles"]>[number];

export interface ProfileBook {
  declared: ProfileInput[];
  profiles: ConfigProfile[];
  /** Each profile name's declaring index in `declared`, or -1 for a user's own profile. */
  names: Map<string, number>;
}
