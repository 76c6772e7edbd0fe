// The size to report to the remote pty, and a way to hear when the local window changes (SIGWINCH).

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** When stdout is no terminal the plugin reports 300×100, so remote output is not wrapped (§7.1). */
export const NON_TERMINAL_SIZE: TerminalSize = { cols: 300, rows: 100 };

export function currentSize(stdout: NodeJS.WriteStream = process.stdout): TerminalSize {
  if (stdout.isTTY && stdout.columns > 0 && stdout.rows > 0)
    return { cols: stdout.columns, rows: stdout.rows };
  return NON_TERMINAL_SIZE;
}

/** Calls back with the new size on every window change; returns the unsubscribe. */
export function watchSize(
  onChange: (size: TerminalSize) => void,
  stdout: NodeJS.WriteStream = process.stdout,
): () => void {
  if (!stdout.isTTY) return () => {};
  // Node turns SIGWINCH into 'resize' on a TTY stdout and updates columns/rows first.
  const listener = (): void => onChange(currentSize(stdout));
  stdout.on("resize", listener);
  return () => stdout.off("resize", listener);
}
