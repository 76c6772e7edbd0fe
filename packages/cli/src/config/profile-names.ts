// Which profile the user means: the name given (or AWS_PROFILE when the caller allows it), and, for a name
// that is not defined, an error listing the closest names and any section that was probably meant.
import { UsageError } from "../errors.js";
import type { ConfigFiles, Env } from "./types.js";

/**
 * The profile to use: `explicit`, else AWS_PROFILE when `useAwsProfile` is set, else undefined.
 * (tobira never falls back to [default] on its own: the caller decides.)
 */
export function profileNameFrom(options: {
  explicit?: string;
  env?: Env;
  useAwsProfile?: boolean;
}): string | undefined {
  if (options.explicit) return options.explicit;
  if (!options.useAwsProfile) return undefined;
  const fromEnv = (options.env ?? process.env).AWS_PROFILE;
  return fromEnv || undefined;
}

export function unknownProfileError(files: ConfigFiles, name: string): UsageError {
  const names = [...files.profiles.keys()];
  const close = closeNames(name, names);
  const hints: string[] = [];
  const meant = files.ignored.find((section) => section.meant === name);
  if (meant)
    hints.push(`${meant.file} line ${meant.line} has [${meant.header}], which is skipped: ${meant.reason}.`);
  if (close.length > 0) hints.push(`Did you mean ${close.map((n) => `"${n}"`).join(", ")}?`);
  if (names.length === 0) {
    hints.push(`No profiles found in ${files.configFile.path} or ${files.credentialsFile.path}.`);
  } else if (close.length === 0) {
    hints.push(`Profiles: ${names.slice(0, 12).join(", ")}${names.length > 12 ? ", …" : ""}.`);
  }
  return new UsageError(`unknown profile "${name}".`, { hint: hints.join(" ") });
}

/** Up to five names within a small edit distance of `name` (or equal ignoring case, or sharing a prefix). */
export function closeNames(name: string, candidates: readonly string[]): string[] {
  const wanted = name.toLowerCase();
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(wanted, lower);
    const limit = Math.max(2, Math.floor(Math.max(wanted.length, lower.length) / 3));
    const prefix = wanted.length >= 3 && (lower.startsWith(wanted) || wanted.startsWith(lower));
    if (distance <= limit || prefix) scored.push({ candidate, score: distance });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, 5)
    .map((entry) => entry.candidate);
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit (typos like "swtich"). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}
