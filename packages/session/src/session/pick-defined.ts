// Copies the named fields that are set, so that an option left out stays left out (not `undefined`) on its
// way down to the part that reads it.

export function pickDefined<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
