// The problems a world's resolution finds, collected so one run reports all of them, and the wording of an
// unknown reference ("did you mean …?", or the names that are known).

import { closest, type PathSegment, type WorldIssue } from "../issues.js";

export type Path = PathSegment[];

export class IssueList {
  readonly items: WorldIssue[] = [];
  add(path: Path, message: string): void {
    this.items.push({ path, message });
  }
}

function knownList(names: Iterable<string>): string {
  const list = [...names];
  if (list.length === 0) return "none are declared";
  const shown = list.slice(0, 6).map((name) => JSON.stringify(name));
  return `known: ${shown.join(", ")}${list.length > 6 ? ", …" : ""}`;
}

/** `unknown role "x" in account 1 (did you mean "y"?)`, or the known names when none is close. */
export function unknownMessage(what: string, name: string, known: string[], where = ""): string {
  const guess = closest(name, known);
  const hint = guess === undefined ? knownList(known) : `did you mean "${guess}"?`;
  return `unknown ${what} "${name}"${where} (${hint})`;
}
