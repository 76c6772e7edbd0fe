// `tobira targets` output: a table that fits 100 columns, or JSON for scripts.
import type { Target } from "./targets.js";

interface Column {
  title: string;
  width: number;
  value: (target: Target) => string;
}

// 20 + 20 + 8 + 14 + 8 + 18 cells and five 2-space gaps = 98 columns.
const COLUMNS: Column[] = [
  { title: "ID", width: 20, value: (t) => t.id },
  { title: "NAME", width: 20, value: (t) => t.name },
  { title: "STATE", width: 8, value: (t) => t.state || (t.kind === "managed" ? "managed" : "") },
  { title: "PING", width: 14, value: (t) => t.pingStatus },
  { title: "PLATFORM", width: 8, value: (t) => t.platform },
  { title: "PROJECT", width: 18, value: (t) => t.project },
];

/** Cuts to width with an ellipsis; "-" for an unknown value. */
function cell(text: string, width: number): string {
  const shown = text === "" ? "-" : text;
  const chars = [...shown];
  return chars.length > width ? `${chars.slice(0, width - 1).join("")}…` : shown.padEnd(width);
}

export function targetsTable(targets: readonly Target[]): string {
  const line = (cells: string[]) => cells.join("  ").trimEnd();
  const rows = [line(COLUMNS.map((c) => c.title.padEnd(c.width)))];
  for (const target of targets) rows.push(line(COLUMNS.map((c) => cell(c.value(target), c.width))));
  return `${rows.join("\n")}\n`;
}

export function targetsJson(targets: readonly Target[]): string {
  return `${JSON.stringify(
    targets.map((t) => ({
      id: t.id,
      kind: t.kind,
      name: t.name,
      state: t.state,
      pingStatus: t.pingStatus,
      platform: t.platform,
      project: t.project,
      privateIp: t.privateIp,
      privateDnsName: t.privateDnsName,
      agentVersion: t.agentVersion,
      tags: t.tags,
    })),
    null,
    2,
  )}\n`;
}
