// Checks the shape of stored items (long-term keys) read back from a backend.
import type { LongTermKey, StoredSecret } from "./vault.js";

type Record_ = { [key: string]: unknown };

function isObject(value: unknown): value is Record_ {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requiredString(value: Record_, field: string): string {
  const found = value[field];
  if (typeof found !== "string" || found === "") throw new Error(`field '${field}' is missing`);
  return found;
}

function optionalString(value: Record_, field: string): string | undefined {
  const found = value[field];
  if (found === undefined) return undefined;
  if (typeof found !== "string") throw new Error(`field '${field}' is not a string`);
  return found;
}

/** Copies only the known fields, so nothing unexpected travels from storage into the program. */
export function readLongTermKey(value: unknown): LongTermKey {
  if (!isObject(value)) throw new Error("a long-term key is not an object");
  const key: LongTermKey = {
    accessKeyId: requiredString(value, "accessKeyId"),
    secretAccessKey: requiredString(value, "secretAccessKey"),
    addedAt: requiredString(value, "addedAt"),
  };
  const userName = optionalString(value, "userName");
  if (userName !== undefined) key.userName = userName;
  return key;
}

/** Copies only the known fields of a stored secret. */
export function readStoredSecret(value: unknown): StoredSecret {
  if (!isObject(value)) throw new Error("a stored secret is not an object");
  const secret: StoredSecret = {
    secret: requiredString(value, "secret"),
    addedAt: requiredString(value, "addedAt"),
  };
  const label = optionalString(value, "label");
  if (label !== undefined) secret.label = label;
  return secret;
}

/** Reads a JSON object of items (name → item) into a Map, so names like "__proto__" stay plain keys. */
export function readItemMap<T>(value: unknown, what: string, readItem: (item: unknown) => T): Map<string, T> {
  if (!isObject(value)) throw new Error(`${what} is not an object`);
  const items = new Map<string, T>();
  for (const [name, item] of Object.entries(value)) items.set(name, readItem(item));
  return items;
}
