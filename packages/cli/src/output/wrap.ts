// Word-wraps prose for the terminal so narrated output stays inside a fixed width (100 columns by default).

/** Columns every narrated line fits in; the demo and the sandbox commands print within it. */
export const OUTPUT_WIDTH = 100;

/**
 * Splits `text` into lines of at most `width` columns, each prefixed by `indent`. Words longer than a line
 * (ARNs, URLs) are cut at the width rather than overflowing, so nothing ever passes the right margin.
 */
export function wrapText(text: string, options: { width?: number; indent?: string } = {}): string[] {
  const width = options.width ?? OUTPUT_WIDTH;
  const indent = options.indent ?? "";
  const room = Math.max(1, width - indent.length);
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter((w) => w.length > 0)) {
      let rest = word;
      while (rest.length > 0) {
        const gap = line.length === 0 ? "" : " ";
        if (line.length + gap.length + rest.length <= room) {
          line += gap + rest;
          rest = "";
        } else if (line.length > 0) {
          lines.push(indent + line);
          line = "";
        } else {
          lines.push(indent + rest.slice(0, room));
          rest = rest.slice(room);
        }
      }
    }
    lines.push(indent + line);
  }
  return lines;
}
