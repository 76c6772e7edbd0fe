// Word-wraps prose for the terminal so narrated output stays inside the terminal's width (at most 100 columns).

/** The widest narrated line; the demo and the sandbox commands print within it, or the terminal if narrower. */
export const OUTPUT_WIDTH = 100;

/** Below this, wrapping cuts ARNs into so many pieces that an overflowing line reads better. */
const NARROWEST_WIDTH = 60;

/**
 * The columns narrated output fits in: the terminal's width when stdout is one, else `COLUMNS` when set, within
 * 60–100. A fixed 100 wrapped every long line a second time in an 80-column terminal, mid-word.
 */
export function outputWidth(
  stream: { isTTY?: boolean; columns?: number } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const columns = stream.isTTY && stream.columns ? stream.columns : Number.parseInt(env.COLUMNS ?? "", 10);
  if (!Number.isFinite(columns) || columns <= 0) return OUTPUT_WIDTH;
  return Math.min(OUTPUT_WIDTH, Math.max(NARROWEST_WIDTH, columns));
}

/**
 * Splits `text` into lines of at most `width` columns, each prefixed by `indent`. Words longer than a line
 * (ARNs, URLs) are cut at the width rather than overflowing, so nothing ever passes the right margin.
 */
export function wrapText(text: string, options: { width?: number; indent?: string } = {}): string[] {
  const width = options.width ?? outputWidth();
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

/**
 * A step's title as `── TITLE ────…` across the width; a title too long for one line wraps under itself (its
 * spacing kept: "1/6  title") and the rule ends its last line, so a narrow terminal never folds it mid-word.
 */
export function ruledHeading(text: string): string {
  const width = outputWidth();
  const room = width - 4 - 3; // "── " or "   " before, " ───" at least after the last line
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line.length > 0 && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else line = line.length > 0 || lines.length > 0 ? `${line} ${word}` : word;
  }
  lines.push(line.trimStart());
  return lines
    .map((l, i) => {
      const text = `${i === 0 ? "──" : "  "} ${l} `;
      return i === lines.length - 1 ? text.padEnd(width, "─") : text.trimEnd();
    })
    .join("\n");
}
