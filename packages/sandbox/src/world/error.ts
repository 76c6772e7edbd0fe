// The error a bad world file raises: every problem as "path: problem", the file named, and what to do.

import { formatIssue, type WorldIssue } from "./issues.js";

/** How many problems the message spells out; the rest are counted (all stay in `issues`). */
export const MAX_LISTED_ISSUES = 10;

export class WorldError extends Error {
  override readonly name = "WorldError";
  /** The file (or the label given to parseWorld) the problems are in. */
  readonly source: string;
  readonly issues: readonly WorldIssue[];
  readonly hint: string;

  constructor(source: string, issues: readonly WorldIssue[], summary?: string) {
    const heading =
      summary ??
      `World file ${source} is not valid (${issues.length} problem${issues.length === 1 ? "" : "s"}):`;
    const lines = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => `  ${formatIssue(issue)}`);
    if (issues.length > MAX_LISTED_ISSUES) lines.push(`  … and ${issues.length - MAX_LISTED_ISSUES} more`);
    super([heading, ...lines].join("\n"));
    this.source = source;
    this.issues = issues;
    this.hint =
      "Fix the listed lines and start the sandbox again; packages/sandbox/worlds/default.yaml is a complete example.";
  }
}
