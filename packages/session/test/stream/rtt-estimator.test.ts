import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RttEstimator } from "../../src/stream/rtt-estimator.js";

// Expected values computed by hand from §4.3: RTTVAR = ¾·RTTVAR + ¼·|SRTT − s|, SRTT = ⅞·SRTT + ⅛·s,
// RTO = SRTT + max(10, 4·RTTVAR), capped at 1000.
describe("RTT/RTO rules (§4.3)", () => {
  it("starts at SRTT 100, RTTVAR 0, RTO 200", () => {
    const rtt = new RttEstimator();
    assert.deepEqual([rtt.srtt, rtt.rttVar, rtt.rto], [100, 0, 200]);
  });

  it("folds samples 40 then 100 as the formulas give", () => {
    const rtt = new RttEstimator();
    rtt.addSample(40);
    assert.deepEqual([rtt.srtt, rtt.rttVar, rtt.rto], [92.5, 15, 152.5]);
    rtt.addSample(100);
    assert.deepEqual([rtt.srtt, rtt.rttVar, rtt.rto], [93.4375, 13.125, 145.9375]);
  });

  it("uses the 10 ms clock granularity when the variance is zero", () => {
    const rtt = new RttEstimator();
    rtt.addSample(100);
    assert.equal(rtt.rto, 110);
  });

  it("caps the RTO at 1 s", () => {
    const rtt = new RttEstimator();
    rtt.addSample(5000);
    assert.equal(rtt.srtt, 712.5);
    assert.equal(rtt.rto, 1000);
  });
});
