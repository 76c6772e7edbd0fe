// Puts the local terminal in raw mode for a remote shell (keys, Ctrl-C and Ctrl-Z go to the remote pty as
// bytes) and guarantees it is restored on every way out: normal end, error, signal, or process exit.

export interface RawModeHandle {
  /** Whether raw mode was entered (stdin is a terminal). */
  readonly active: boolean;
  restore(): void;
}

export function enterRawMode(stdin: NodeJS.ReadStream = process.stdin): RawModeHandle {
  if (!stdin.isTTY || typeof stdin.setRawMode !== "function") return { active: false, restore() {} };
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    process.off("exit", restore);
    try {
      stdin.setRawMode(false);
    } catch {
      // stdin already gone (the terminal closed): nothing left to restore
    }
  };
  stdin.setRawMode(true);
  // Last resort: whatever ends the process, the user's terminal does not stay raw.
  process.on("exit", restore);
  return { active: true, restore };
}
