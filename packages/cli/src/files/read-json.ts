// Reads a JSON file a sandbox (or a run of tobira) left behind: its value, or undefined when the file is missing,
// unreadable or not JSON (a half-written or foreign file counts as none).
import { readFileSync } from "node:fs";

export function readJsonFile(path: string): unknown {
  const text = textOf(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function textOf(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
