// A file that holds a secret (a passphrase) should be readable by its owner only. tobira warns rather than
// refuses, as a mounted secret may be 0644 by the platform's choice; the warning names the fix, never the secret.
import { statSync } from "node:fs";

const warned = new Set<string>();

/** The warning for `path`, or undefined when group and others cannot read it (or it cannot be stat'ed). */
export function sharedSecretFileWarning(path: string, what: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    return undefined;
  }
  if ((mode & 0o044) === 0) return undefined;
  const octal = mode.toString(8).padStart(4, "0");
  return `warning: ${what} ${path} can be read by other users (mode ${octal}); run: chmod 600 ${path}`;
}

/** Writes the warning on stderr, once per file and process. */
export function warnIfSecretFileShared(path: string, what: string): void {
  if (warned.has(path)) return;
  const warning = sharedSecretFileWarning(path, what);
  if (warning === undefined) return;
  warned.add(path);
  process.stderr.write(`tobira: ${warning}\n`);
}
