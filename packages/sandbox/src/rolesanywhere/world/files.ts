// World files may name a trust anchor's CA bundle and a CRL by file (`certificateBundleFile`, `crlFile`),
// relative to the world file, instead of inlining the PEM: a lab's CA lives in its own file. This reads them
// into `certificateBundle` and `crl` before the schema checks the section.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { WorldError } from "../../world/error.js";

type Entry = Record<string, unknown>;

function inline(
  entries: unknown,
  fileKey: string,
  key: string,
  section: string,
  baseDir: string,
  source: string,
): void {
  if (!Array.isArray(entries)) return;
  entries.forEach((entry: unknown, index) => {
    if (entry === null || typeof entry !== "object") return;
    const e = entry as Entry;
    const file = e[fileKey];
    if (typeof file !== "string") return;
    const path = resolve(baseDir, file);
    try {
      e[key] = readFileSync(path, "utf8");
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ?? "unreadable";
      throw new WorldError(source, [
        { path: ["rolesAnywhere", section, index, fileKey], message: `cannot read ${path} (${why})` },
      ]);
    }
    delete e[fileKey];
  });
}

export function inlineRolesAnywhereFiles(input: unknown, baseDir: string, source: string): void {
  const section = (input as { rolesAnywhere?: { trustAnchors?: unknown; crls?: unknown } } | null)
    ?.rolesAnywhere;
  if (section === null || typeof section !== "object") return;
  inline(section.trustAnchors, "certificateBundleFile", "certificateBundle", "trustAnchors", baseDir, source);
  inline(section.crls, "crlFile", "crl", "crls", baseDir, source);
}
