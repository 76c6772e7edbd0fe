// Round-trip estimate and retransmission timeout with the constants and formulas of §4.3, kept between a
// floor (tobira's, RELIABILITY.minRtoMs) and the plugin's 1 s cap.

import { RELIABILITY } from "../constants.js";

export class RttEstimator {
  #srtt: number = RELIABILITY.initialSrttMs;
  #rttVar: number = RELIABILITY.initialRttVarMs;
  #rto: number = RELIABILITY.initialRtoMs;

  /** Smoothed round-trip time, ms. */
  get srtt(): number {
    return this.#srtt;
  }

  get rttVar(): number {
    return this.#rttVar;
  }

  /** Retransmission timeout, ms: a message is resent once `now − lastSent > rto`. */
  get rto(): number {
    return this.#rto;
  }

  /** Folds in one sample: RTTVAR first (it uses the old SRTT), then SRTT, then RTO within its bounds. */
  addSample(sampleMs: number): void {
    const sample = Math.max(0, sampleMs);
    this.#rttVar =
      (1 - RELIABILITY.rttBeta) * this.#rttVar + RELIABILITY.rttBeta * Math.abs(this.#srtt - sample);
    this.#srtt = (1 - RELIABILITY.rttAlpha) * this.#srtt + RELIABILITY.rttAlpha * sample;
    this.#rto = Math.max(
      RELIABILITY.minRtoMs,
      Math.min(RELIABILITY.maxRtoMs, this.#srtt + Math.max(RELIABILITY.clockGranularityMs, 4 * this.#rttVar)),
    );
  }
}
