// What a lossy link does to one data-channel frame: lose it, send it twice, hold it back so that later frames
// overtake it, or delay it at random — decided by a seeded RNG so that a run replays exactly from its seed.
// The emulator checklist of ssm-protocol.md §12.4 asks for "configurable loss/reorder/duplication injection".

/** Faults of one direction. Rates are probabilities per frame (0.02 = 2 %). */
export interface RelayFaults {
  drop?: number;
  duplicate?: number;
  /** Share of frames held back by `reorderMs`, so that the frames after them arrive first. */
  reorder?: number;
  /** How long a reordered frame is held (default 8 ms: several frames at the gateway's 1000 frames/s). */
  reorderMs?: number;
  /** Extra delay per frame, 0..jitterMs at random: every frame may overtake others. */
  jitterMs?: number;
}

/** Faults per direction: toward the gateway (what the client sends) and toward the client. */
export interface RelayFaultPlan {
  toGateway?: RelayFaults;
  toClient?: RelayFaults;
}

export interface FaultCounts {
  frames: number;
  dropped: number;
  duplicated: number;
  /** Frames sent later than they came: held back (reordered) or jittered. */
  delayed: number;
}

export const DEFAULT_REORDER_MS = 8;

/** Only the reliable layer's frames are faulted; MGS's own (channel_closed, publication) pass untouched. */
export const FAULTED_TYPES: ReadonlySet<string> = new Set([
  "input_stream_data",
  "output_stream_data",
  "acknowledge",
]);

/**
 * The delays (ms, 0 = now) at which copies of one frame go out: none when it is lost, two when duplicated.
 * Counts what it decided into `counts`.
 */
export function faultDelays(faults: RelayFaults, random: () => number, counts: FaultCounts): number[] {
  counts.frames++;
  const { drop = 0, duplicate = 0, reorder = 0, jitterMs = 0 } = faults;
  if (random() < drop) {
    counts.dropped++;
    return [];
  }
  const copies = random() < duplicate ? 2 : 1;
  if (copies === 2) counts.duplicated++;
  const delays: number[] = [];
  for (let i = 0; i < copies; i++) {
    let delay = jitterMs > 0 ? Math.floor(random() * jitterMs) : 0;
    if (random() < reorder) delay += faults.reorderMs ?? DEFAULT_REORDER_MS;
    if (delay > 0) counts.delayed++;
    delays.push(delay);
  }
  return delays;
}
