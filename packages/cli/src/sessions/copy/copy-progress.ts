// The one line `tobira cp` redraws on stderr while the parts move, as scp does: bytes so far of the whole file,
// percent, rate and time left. Only on a terminal (a pipe or a log gets the summary alone) and never with
// --json. The bytes come from the streams' own counters (read from the file going up, written to it coming
// down), polled four times a second, so the copy's data path is not touched.

/** Bytes one part has moved so far. */
export type ByteCounter = () => number;

export interface CopyProgress {
  /** Adds a part's counter to the total. */
  count(counter: ByteCounter): void;
  /** Clears the line, so the summary (or the error) starts at column 0 on a clean line. */
  stop(): void;
}

/** Makes the progress of a transfer of `total` bytes; started by the copy once its parts begin. */
export type ProgressFactory = (total: number) => CopyProgress;

const REDRAW_MS = 250;
const MIB = 1024 * 1024;

/** Whole seconds as `42 s`, `3 min 05 s` or `1 h 02 min`. */
function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/**
 * The line for `done` of `total` bytes after `seconds`: `12.0 of 24.0 MiB  50%  3.1 MB/s  4 s left`. The rate is
 * the average since the parts began (steadier than the last interval's, which jumps as sessions pause).
 */
export function progressText(done: number, total: number, seconds: number): string {
  const moved = Math.min(done, total);
  const percent = total === 0 ? 100 : Math.floor((moved / total) * 100);
  const rate = seconds > 0 ? moved / seconds : 0;
  const left = rate > 0 && moved < total ? `  ${duration((total - moved) / rate)} left` : "";
  return `${(moved / MIB).toFixed(1)} of ${(total / MIB).toFixed(1)} MiB  ${percent}%  ${(rate / 1e6).toFixed(1)} MB/s${left}`;
}

/** A redrawn line on `stream` when it is a terminal; else a progress that shows nothing. */
export function terminalProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
): ProgressFactory {
  if (stream.isTTY !== true) return () => ({ count() {}, stop() {} });
  return (total) => {
    const counters: ByteCounter[] = [];
    const started = performance.now();
    const draw = () => {
      const done = counters.reduce((sum, counter) => sum + counter(), 0);
      const text = progressText(done, total, (performance.now() - started) / 1000);
      // Cut to the terminal's width: a wrapped line cannot be redrawn with \r.
      const width = stream.columns && stream.columns > 1 ? stream.columns - 1 : 79;
      stream.write(`\r${text.slice(0, width)}\x1b[K`);
    };
    const timer = setInterval(draw, REDRAW_MS);
    timer.unref();
    return {
      count(counter) {
        counters.push(counter);
      },
      stop() {
        clearInterval(timer);
        stream.write("\r\x1b[K");
      },
    };
  };
}
