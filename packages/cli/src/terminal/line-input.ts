// Line editing for a terminal in raw mode: turns typed characters into a finished line, an interrupt or an end.
// The terminal is read in raw mode (so Ctrl-C reaches us as a byte instead of killing the process with the
// terminal left half-configured); this module therefore does the little editing the kernel would otherwise do.
// It is pure: it takes decoded text and says what to echo and when the line is finished.

/** How a line ended: a submitted line, Ctrl-C, or Ctrl-D on an empty line (end of input). */
export type LineOutcome = { kind: "line"; line: string } | { kind: "interrupt" } | { kind: "end" };

export interface LineStep {
  /** Text to write back to the terminal when echo is on (typed characters, or "\b \b" to erase). */
  echo: string;
  /** Set once the line is finished; input after it in the same chunk is dropped. */
  outcome?: LineOutcome;
}

const ERASE_ONE = "\b \b";

// Escape sequences (arrow keys, function keys) are swallowed: a one-line prompt has no cursor movement.
type EscapeState = "none" | "escape" | "csi" | "ss3";

export class LineInput {
  private readonly chars: string[] = [];
  private escape: EscapeState = "none";
  private finished = false;

  /** Feeds decoded text (one or more characters, as a paste may deliver many at once). */
  feed(text: string): LineStep {
    let echo = "";
    if (this.finished) return { echo };
    for (const char of text) {
      if (this.escape !== "none") {
        this.escape = nextEscapeState(this.escape, char);
        continue;
      }
      switch (char) {
        case "\r":
        case "\n":
          return this.finish(echo, { kind: "line", line: this.chars.join("") });
        case "\x03": // Ctrl-C
          return this.finish(echo, { kind: "interrupt" });
        case "\x04": // Ctrl-D: end of input on an empty line, submit otherwise (as a cooked terminal does)
          return this.finish(
            echo,
            this.chars.length === 0 ? { kind: "end" } : { kind: "line", line: this.chars.join("") },
          );
        case "\x7f": // DEL, what most terminals send for Backspace
        case "\b":
          if (this.chars.length > 0) {
            this.chars.pop();
            echo += ERASE_ONE;
          }
          break;
        case "\x15": // Ctrl-U: erase the whole line
          echo += ERASE_ONE.repeat(this.chars.length);
          this.chars.length = 0;
          break;
        case "\x1b":
          this.escape = "escape";
          break;
        default:
          // Other control characters (Tab, Ctrl-letters) have no meaning in a one-line answer.
          if (char < " ") break;
          this.chars.push(char);
          echo += char;
      }
    }
    return { echo };
  }

  private finish(echo: string, outcome: LineOutcome): LineStep {
    this.finished = true;
    return { echo, outcome };
  }
}

function nextEscapeState(state: EscapeState, char: string): EscapeState {
  if (state === "escape") {
    if (char === "[") return "csi";
    if (char === "O") return "ss3";
    return "none"; // ESC followed by one character (Alt+key): both dropped
  }
  if (state === "ss3") return "none"; // ESC O x: one final character
  // CSI: parameter and intermediate bytes (0x20–0x3f) continue, a final byte (0x40–0x7e) ends it.
  const code = char.codePointAt(0) ?? 0;
  return code >= 0x40 && code <= 0x7e ? "none" : "csi";
}
