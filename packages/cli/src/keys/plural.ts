// "1 cached session", "3 cached sessions": the counts the vault commands report.

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
