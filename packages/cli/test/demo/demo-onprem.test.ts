// `tobira demo onprem` through the built CLI: activation → registration → refresh → a non-root user gets the
// role through `tobira node credentials` → a hardware change warned, then hibernation → re-registration.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { tobira } from "../sandbox/built-cli.js";

describe("tobira demo onprem", () => {
  test("runs every step as AWS would decide it, within 100 columns, no secret printed whole", async () => {
    const result = await tobira(["demo", "onprem"]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const out = result.stdout;
    for (const title of [
      "An administrator creates a hybrid activation",
      "The server's agent registers with the activation",
      "The agent refreshes the role credentials",
      "A non-root user gets the role through tobira node credentials",
      "The hardware changes: tobira warns, then the agent hibernates",
      "Re-registration brings the server back",
    ]) {
      assert.match(out, new RegExp(`── \\d/6 {2}${title}`));
    }
    assert.match(out, /# printf %s "\$CODE" \| tobira sandbox node register --code - --id\s+[0-9a-f-]{36}/);
    assert.match(out, /the agent rotated the credentials: as expected/);
    if (process.getuid?.() === 0) {
      assert.match(
        out,
        /nobody\$ tobira node credentials\n\s+\(stderr\) tobira: uid 65534 \(nobody\) is not allowed/,
      );
      assert.match(
        out,
        /daemon acts as arn:aws:sts::222222222222:assumed-role\/SSMHybridNodeRole\/mi-[0-9a-f]{17}: as/,
      );
      assert.match(out, /"SecretAccessKey":"[^"]{4}…"/);
    }
    assert.match(out, /warning: one more changed attribute \(with a new IP\) and the agent hibernates/);
    assert.match(
      out,
      /RequestManagedInstanceRoleToken\s+MachineFingerprintDoesNotMatch\s+managed-instance\/mi-/,
    );
    assert.match(out, /Everything ended as expected/);
    assert.doesNotMatch(out, /NOT AS EXPECTED/);
    for (const line of out.split("\n")) assert.ok(line.length <= 100, line);
  });
});
