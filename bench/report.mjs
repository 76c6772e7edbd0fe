// Prints the bench's results: an aligned table for people, or one JSON document (--json) for machines.

export function printJson(report) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

export function printTable(report) {
  const rows = [["command", "median ms", "min ms", "p90 ms"]];
  for (const m of report.measurements) {
    rows.push([m.label, m.medianMs.toFixed(1), m.minMs.toFixed(1), m.p90Ms.toFixed(1)]);
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column])))
      .join("  ");
  const out = [
    `tobira bench — ${report.runs} timed runs each (after ${report.warmup} warm-up), interleaved; node ${report.node}, ${report.platform}`,
    "",
    line(rows[0]),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.slice(1).map(line),
    "",
  ];
  for (const ratio of report.ratios) {
    const verdict =
      ratio.target === undefined
        ? ""
        : `   (target ≤ ${ratio.target}× of medians: ${ratio.met ? "met" : "NOT met"})`;
    out.push(
      `${ratio.label.padEnd(34)} ${ratio.value.toFixed(2)}× of medians, ${ratio.ofMins.toFixed(2)}× of mins${verdict}`,
    );
  }
  for (const [fact, value] of Object.entries(report.facts)) out.push(`${fact}: ${value}`);
  process.stdout.write(`${out.join("\n")}\n`);
}
