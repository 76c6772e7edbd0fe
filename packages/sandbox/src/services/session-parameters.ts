// Parameters several STS actions share: session tags, transitive tag keys, and the inline session policy.

import { policyDocumentSchema } from "../policy/schema.js";
import type { PolicyDocument } from "../policy/types.js";
import { AwsServiceError } from "../protocol/errors.js";
import type { QueryParams } from "../protocol/query.js";
import type { ParamValidator } from "./param-validation.js";

const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_SESSION_TAGS = 50;

/** Tags.member.N.{Key,Value} as a map; constraint failures go to the validator. */
export function readSessionTags(params: QueryParams, v: ParamValidator): Record<string, string> {
  const members = params.memberStructs("Tags");
  if (members.length > MAX_SESSION_TAGS) {
    v.fail(
      `Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SESSION_TAGS}`,
    );
  }
  const tags: Record<string, string> = {};
  const seen = new Set<string>();
  members.forEach((member, index) => {
    const key = member.Key;
    const value = member.Value ?? "";
    const at = `tags.${index + 1}.member`;
    if (key === undefined) {
      v.fail(`Value null at '${at}.key' failed to satisfy constraint: Member must not be null`);
      return;
    }
    if (key.length < 1 || key.length > 128 || !TAG_KEY.test(key)) {
      v.fail(
        `Value '${key}' at '${at}.key' failed to satisfy constraint: Member must have length between 1 and 128 and satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+`,
      );
      return;
    }
    if (value.length > 256 || !TAG_VALUE.test(value)) {
      v.fail(
        `Value '${value}' at '${at}.value' failed to satisfy constraint: Member must have length less than or equal to 256 and satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`,
      );
      return;
    }
    // Session tag keys are case-insensitive: two spellings of one key are a duplicate.
    if (seen.has(key.toLowerCase())) {
      v.fail(`Duplicate tag key '${key}': session tag keys are case-insensitive and must be unique.`);
      return;
    }
    seen.add(key.toLowerCase());
    tags[key] = value;
  });
  return tags;
}

/** TransitiveTagKeys.member.N, each of which must be one of the request's tag keys. */
export function readTransitiveTagKeys(
  params: QueryParams,
  tags: Record<string, string>,
  v: ParamValidator,
): string[] {
  const keys = params.memberList("TransitiveTagKeys");
  if (keys.length > MAX_SESSION_TAGS) {
    v.fail(
      `Value at 'transitiveTagKeys' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SESSION_TAGS}`,
    );
  }
  const tagKeys = new Set(Object.keys(tags).map((k) => k.toLowerCase()));
  for (const key of keys) {
    if (!tagKeys.has(key.toLowerCase())) {
      v.fail(`Transitive tag key '${key}' is not among the session tags passed in Tags.`);
    }
  }
  return keys;
}

/** The Policy parameter as a policy document; MalformedPolicyDocument when it is not one. */
export function readSessionPolicy(v: ParamValidator): PolicyDocument | undefined {
  const text = v.string("Policy", { min: 1, max: 2048 });
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsServiceError("MalformedPolicyDocument", "The policy is not in the valid JSON format.", 400);
  }
  const checked = policyDocumentSchema.safeParse(parsed);
  if (!checked.success) {
    const first = checked.error.issues[0];
    const where = first?.path.length ? ` at ${first.path.join(".")}` : "";
    throw new AwsServiceError(
      "MalformedPolicyDocument",
      `The session policy is not a valid policy document${where}: ${first?.message ?? "invalid"}`,
      400,
    );
  }
  return checked.data as PolicyDocument;
}

/** Context keys for tags a request passes: aws:RequestTag/K and aws:TagKeys. */
export function requestTagContext(tags: Record<string, string>): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  const keys = Object.keys(tags);
  if (keys.length === 0) return context;
  for (const [key, value] of Object.entries(tags)) context[`aws:RequestTag/${key}`] = value;
  context["aws:TagKeys"] = keys;
  return context;
}
