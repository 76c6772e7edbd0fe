// Parses aws-vault's `session_tags = Key1=Value1,Key2=Value2` and `transitive_session_tags = Key1,Key2`.
import { ConfigError } from "../errors.js";
import { describeKey } from "./origin.js";
import type { Setting } from "./types.js";

/** Tag keys in order of writing; STS treats tag keys case-insensitively, so `Team` and `team` clash. */
export function parseSessionTags(setting: Setting): Record<string, string> {
  const tags: [string, string][] = [];
  const seen = new Map<string, string>();
  for (const item of setting.value.split(",")) {
    const pair = item.trim();
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const key = equals < 0 ? "" : pair.slice(0, equals).trim();
    if (key === "") {
      throw new ConfigError(`session_tags: "${pair}" is not Key=Value (${describeKey(setting.origin)}).`, {
        hint: "Write session_tags = Key1=Value1,Key2=Value2",
      });
    }
    const earlier = seen.get(key.toLowerCase());
    if (earlier !== undefined) {
      throw new ConfigError(
        `session_tags: tag "${key}" repeats "${earlier}" (${describeKey(setting.origin)}).`,
        {
          hint: "STS tag keys are case-insensitive; keep one.",
        },
      );
    }
    seen.set(key.toLowerCase(), key);
    tags.push([key, pair.slice(equals + 1).trim()]);
  }
  return Object.fromEntries(tags);
}

export function parseTransitiveTagKeys(setting: Setting): string[] {
  return setting.value
    .split(",")
    .map((key) => key.trim())
    .filter((key) => key !== "");
}
