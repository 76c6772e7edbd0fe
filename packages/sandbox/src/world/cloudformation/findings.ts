// What loading templates found: errors (the world would decide IAM questions wrongly) and notes (parts left
// out that do not change a decision), each tied to a template and a path inside it.

import { formatPath, type PathSegment } from "../issues.js";

export interface TemplateFinding {
  /** The template file, or the label given to an in-memory template. */
  template: string;
  /** Where in the template: ["Resources", "MyRole", "Properties", "Policies", 0]. Empty for the whole template. */
  path: PathSegment[];
  message: string;
}

export function formatFinding(finding: TemplateFinding): string {
  return finding.path.length === 0
    ? `${finding.template}: ${finding.message}`
    : `${finding.template} ${formatPath(finding.path)}: ${finding.message}`;
}

/** How many errors the message spells out; all stay in `errors`. */
const MAX_LISTED = 12;

/** Templates that cannot become a world that answers as AWS would. */
export class TemplateError extends Error {
  override readonly name = "TemplateError";
  readonly errors: readonly TemplateFinding[];
  readonly notes: readonly TemplateFinding[];
  readonly hint: string;

  constructor(errors: readonly TemplateFinding[], notes: readonly TemplateFinding[] = [], hint?: string) {
    const lines = errors.slice(0, MAX_LISTED).map((finding) => `  ${formatFinding(finding)}`);
    if (errors.length > MAX_LISTED) lines.push(`  … and ${errors.length - MAX_LISTED} more`);
    const heading = `The templates cannot be loaded into the sandbox (${errors.length} problem${errors.length === 1 ? "" : "s"}):`;
    super([heading, ...lines].join("\n"));
    this.errors = errors;
    this.notes = notes;
    this.hint =
      hint ??
      "Fix the template (or the app that synthesizes it), or declare what it refers to in the base world, and load it again.";
  }
}

/** Collects findings so one run reports all of them. */
export class Findings {
  readonly errors: TemplateFinding[] = [];
  readonly notes: TemplateFinding[] = [];

  error(template: string, path: PathSegment[], message: string): void {
    this.errors.push({ template, path, message });
  }

  note(template: string, path: PathSegment[], message: string): void {
    this.notes.push({ template, path, message });
  }
}
