import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SandboxState } from "../../src/state/sandbox-state.js";
import { withTempFolder } from "./temp-folder.js";

describe("SandboxState", () => {
  it("accepts each MFA step once, forgets steps that can no longer match, and persists 0600", () => {
    withTempFolder((dir) => {
      const state = SandboxState.load(dir, () => 0);
      assert.equal(state.consumeMfaStep("arn:aws:iam::1:mfa/a", 100), true);
      assert.equal(state.consumeMfaStep("arn:aws:iam::1:mfa/a", 100), false);
      assert.equal(state.consumeMfaStep("arn:aws:iam::1:mfa/b", 100), true, "devices are independent");
      assert.equal(state.consumeMfaStep("arn:aws:iam::1:mfa/a", 101), true);
      assert.equal(state.consumeMfaStep("arn:aws:iam::1:mfa/a", 104), true);
      const saved = JSON.parse(readFileSync(join(dir, "state.json"), "utf8"));
      assert.deepEqual(saved.consumedMfaSteps["arn:aws:iam::1:mfa/a"], [104]);
      assert.equal(statSync(join(dir, "state.json")).mode & 0o777, 0o600);
      const reloaded = SandboxState.load(dir, () => 0);
      assert.equal(reloaded.isMfaStepConsumed("arn:aws:iam::1:mfa/a", 104), true);
      assert.equal(reloaded.isMfaStepConsumed("arn:aws:iam::1:mfa/b", 100), true);
    });
  });

  it("drops sessions a day after they expire", () => {
    withTempFolder((dir) => {
      let now = Date.parse("2026-01-01T00:00:00Z");
      const state = SandboxState.load(dir, () => now);
      state.addSession({
        accessKeyId: "ASIAEXAMPLE000000001",
        secretAccessKey: "s",
        sessionToken: "t",
        kind: "session-token",
        account: "111111111111",
        userName: "alice",
        issuedAt: "2026-01-01T00:00:00.000Z",
        expiration: "2026-01-01T01:00:00.000Z",
        tags: {},
        transitiveTagKeys: [],
        roleChain: false,
      });
      now = Date.parse("2026-01-02T00:59:00Z");
      assert.ok(
        SandboxState.load(dir, () => now).findSession("ASIAEXAMPLE000000001"),
        "kept within a day of expiry",
      );
      now = Date.parse("2026-01-02T01:01:00Z");
      assert.equal(SandboxState.load(dir, () => now).findSession("ASIAEXAMPLE000000001"), undefined);
    });
  });
});
