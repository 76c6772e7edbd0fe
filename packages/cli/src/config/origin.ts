// Words for "where this was written", so every config error names the file, the section and the key.
import type { IniSection, KeyOrigin } from "./types.js";

/** `/home/u/.aws/config, section [profile switch], key source_profile (line 7)` */
export function describeKey(origin: KeyOrigin): string {
  return `${origin.file}, section [${origin.section}], key ${origin.key} (line ${origin.line})`;
}

/** `/home/u/.aws/config, section [profile switch] (line 5)` */
export function describeSection(section: Pick<IniSection, "file" | "header" | "line">): string {
  return `${section.file}, section [${section.header}] (line ${section.line})`;
}
