// Renders labelled values as aligned "label: value" lines, the shape of every human-readable report we print.

/** One row of a report; rows whose value is undefined are left out. */
export type Field = readonly [label: string, value: string | number | undefined];

/** Aligns the values of `fields` in one column after the longest label, each line prefixed by `indent`. */
export function renderFields(fields: readonly Field[], indent = ""): string {
  const shown = fields.filter((field): field is readonly [string, string | number] => field[1] !== undefined);
  const labelWidth = Math.max(0, ...shown.map(([label]) => label.length + 1));
  return shown.map(([label, value]) => `${indent}${`${label}:`.padEnd(labelWidth)} ${value}`).join("\n");
}
