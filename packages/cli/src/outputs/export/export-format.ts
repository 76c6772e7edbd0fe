// Renders credential variables for `export` in a shell's own quoting, so `eval`/`source` reads them back exactly (pure).
import { SHADOWING_VARIABLES } from "../environment/child-environment.js";

export const EXPORT_FORMATS = ["env", "fish", "pwsh", "dotenv", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(name: string): name is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(name);
}

/** POSIX sh: inside '…' nothing is special; a ' ends the quote, so it becomes '\'' . */
export function quotePosix(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** fish: inside '…' only \\ and \' are escapes. */
export function quoteFish(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** PowerShell: inside '…' a quote is doubled; PowerShell also treats the curly single quotes as quotes. */
export function quotePwsh(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, "$&$&")}'`;
}

/**
 * dotenv: single quotes are literal in every common reader (dotenv, python-dotenv, Docker Compose, Node's
 * --env-file) but cannot hold a ' or a newline; those values go in double quotes with \\, \", \$, \n escaped.
 */
export function quoteDotenv(value: string): string {
  if (!/['\n\r]/.test(value)) return `'${value}'`;
  const escaped = value
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\$/g, "\\$")
    .replace(/`/g, "\\`")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r");
  return `"${escaped}"`;
}

/**
 * The text `export` prints. Shell formats also unset the variables that would shadow these credentials
 * (AWS_PROFILE makes the AWS CLI prefer a profile over the environment); dotenv and json cannot unset.
 */
export function formatExport(format: ExportFormat, variables: Array<[string, string]>): string {
  const set = new Set(variables.map(([name]) => name));
  const unset = SHADOWING_VARIABLES.filter((name) => !set.has(name) && name !== "TOBIRA_VAULT_PASSPHRASE");
  switch (format) {
    case "env":
      return lines([
        `unset ${unset.join(" ")}`,
        ...variables.map(([n, v]) => `export ${n}=${quotePosix(v)}`),
      ]);
    case "fish":
      return lines([
        ...unset.map((n) => `set -e ${n}`),
        ...variables.map(([n, v]) => `set -gx ${n} ${quoteFish(v)}`),
      ]);
    case "pwsh":
      return lines([
        ...unset.map((n) => `Remove-Item Env:${n} -ErrorAction SilentlyContinue`),
        ...variables.map(([n, v]) => `$Env:${n} = ${quotePwsh(v)}`),
      ]);
    case "dotenv":
      return lines(variables.map(([n, v]) => `${n}=${quoteDotenv(v)}`));
    case "json":
      return `${JSON.stringify(Object.fromEntries(variables), null, 2)}\n`;
  }
}

function lines(items: string[]): string {
  return `${items.join("\n")}\n`;
}
