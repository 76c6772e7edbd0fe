// A scratch folder for one test of the state files, removed however the test ends.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function withTempFolder(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "tobira-state-"));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
