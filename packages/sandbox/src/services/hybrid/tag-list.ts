// SSM's `Tags: [{Key, Value}]` lists, read and checked as SSM checks them.

import { AwsServiceError } from "../../protocol/errors.js";
import type { Tags } from "../../world/model.js";
import type { JsonInput } from "../ssm/json-input.js";

/** SSM allows this many tags on one resource. */
export const MAX_TAGS = 50;

export function readTags(input: JsonInput, name: string): Tags | undefined {
  const list = input.structList(name);
  if (list === undefined) return undefined;
  const tags: Tags = {};
  for (const item of list) {
    const { Key: key, Value: value } = item;
    if (typeof key !== "string" || key.length < 1 || key.length > 128 || typeof value !== "string") {
      throw new AwsServiceError(
        "ValidationException",
        "Each tag needs a Key of 1 to 128 characters and a string Value.",
        400,
      );
    }
    if (key.toLowerCase().startsWith("aws:")) {
      throw new AwsServiceError("InvalidParameters", `Tag key ${key} uses the reserved prefix aws:.`, 400);
    }
    tags[key] = value;
  }
  if (Object.keys(tags).length > MAX_TAGS) {
    throw new AwsServiceError("TooManyTagsError", `A resource can have at most ${MAX_TAGS} tags.`, 400);
  }
  return tags;
}

export function tagList(tags: Tags): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
