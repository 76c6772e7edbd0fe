// The POSIX shell commands `tobira cp` runs on the instance through ssh (pure). Only sh, dd, wc, mv, rm, dirname
// and sha256sum (or shasum -a 256, as macOS has it) are assumed; every path is single-quoted.
import { BLOCK_BYTES, type Part } from "./copy-plan.js";

/** A word for sh, single-quoted. */
export function shellWord(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The sha256 of a file (a quoted word), as 64 hex digits and nothing else. */
function sha256Of(file: string): string {
  return `{ sha256sum < ${file} 2>/dev/null || shasum -a 256 < ${file}; } | { read -r h _; echo "$h"; }`;
}

/** Exit statuses of the probes, beside the words on stderr: a missing folder (66) and one not writable (77). */
export const PROBE_EXIT = { noFolder: 66, notWritable: 77, noFile: 65 } as const;

/**
 * Upload, before the parts: "dir" when PATH is a folder (the file goes into it), else "path". Refused, with its
 * reason on stderr, when the file could not be written there: a PATH ending in "/" that is no folder, a
 * parent that is no folder, or a folder the login may not write in. Said before a part is sent, not by dd.
 */
export function probeDestination(path: string): string {
  const { noFolder, notWritable } = PROBE_EXIT;
  const missing = (folder: string) => `{ echo "no folder ${folder}" >&2; exit ${noFolder}; }`;
  return (
    `p=${shellWord(path)}; ` +
    `if [ -d "$p" ]; then d=$p; kind=dir; else ` +
    `case "$p" in */) ${missing("$p")};; esac; ` +
    `d=$(dirname -- "$p"); kind=path; [ -d "$d" ] || ${missing("$d")}; fi; ` +
    `[ -w "$d" ] || { echo "cannot write in $d" >&2; exit ${notWritable}; }; echo "$kind"`
  );
}

/** Download, before the parts: the size in bytes, then the sha256 of the file. */
export function probeSource(path: string): string {
  const file = shellWord(path);
  return `[ -f ${file} ] || { echo "not a regular file" >&2; exit ${PROBE_EXIT.noFile}; }; wc -c < ${file} && ${sha256Of(file)}`;
}

/** One part of an upload: stdin written into `temp` at the part's blocks, the rest of the file untouched. */
export function writePart(temp: string, part: Part): string {
  return `dd of=${shellWord(temp)} bs=${BLOCK_BYTES} seek=${part.firstBlock} conv=notrunc`;
}

/** One part of a download: the part's blocks of `path` on stdout. */
export function readPart(path: string, part: Part): string {
  return `dd if=${shellWord(path)} bs=${BLOCK_BYTES} skip=${part.firstBlock} count=${part.blocks}`;
}

/** The end of an upload: `temp` renamed to `final` only if its sha256 is `sha256`; else removed (exit 65). */
export function verifyAndRename(temp: string, final: string, sha256: string): string {
  const from = shellWord(temp);
  return `h=$(${sha256Of(from)}); if [ "$h" = ${shellWord(sha256)} ]; then mv -f ${from} ${shellWord(final)}; else rm -f ${from}; echo "sha256 on the instance: $h" >&2; exit 65; fi`;
}

export function removeFile(path: string): string {
  return `rm -f ${shellWord(path)}`;
}
