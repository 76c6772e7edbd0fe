// The plugin's reconnect schedule (§8): first wait 100–199 ms at random, double per attempt, start over at
// the first delay when the next would pass 5 s, give up after 5 failed attempts.

export const RESUME_RETRY = {
  attempts: 5,
  initialMinMs: 100,
  initialSpreadMs: 100,
  maxDelayMs: 5000,
} as const;

/** The waits before each reconnect attempt (ResumeSession, dial, OpenDataChannel), in order. */
export function resumeRetryDelays(random: () => number = Math.random): number[] {
  const initial = RESUME_RETRY.initialMinMs + Math.floor(random() * RESUME_RETRY.initialSpreadMs);
  const delays: number[] = [];
  let delay = initial;
  for (let i = 0; i < RESUME_RETRY.attempts; i++) {
    delays.push(delay);
    delay *= 2;
    if (delay > RESUME_RETRY.maxDelayMs) delay = initial;
  }
  return delays;
}
