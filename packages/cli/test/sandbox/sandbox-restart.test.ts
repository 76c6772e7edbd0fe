// State survives `sandbox down` / `sandbox up` with the same state folder: a consumed MFA code stays consumed.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, test } from "node:test";
import { awsCli, cleanEnv, endpointFrom, makeStateDir, tobira } from "./built-cli.js";

const ALICE_MFA = "arn:aws:iam::111111111111:mfa/alice";
const STEP_MS = 30_000;

const state = makeStateDir("restart");
after(async () => {
  await tobira(["sandbox", "down", "--state", state.dir]);
  state.remove();
});

const env = cleanEnv({
  AWS_CONFIG_FILE: join(state.dir, "config"),
  AWS_SHARED_CREDENTIALS_FILE: join(state.dir, "credentials"),
});

async function up(): Promise<string> {
  const result = await tobira(["sandbox", "up", "--detach", "--state", state.dir]);
  assert.equal(result.code, 0, result.stderr);
  return endpointFrom(result.stdout);
}

async function down(): Promise<void> {
  const result = await tobira(["sandbox", "down", "--state", state.dir]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /stopped the sandbox/);
}

async function mfaCode(): Promise<string> {
  const result = await tobira(["sandbox", "mfa-code", ALICE_MFA, "--state", state.dir]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}

function getSessionToken(endpoint: string, code: string) {
  return awsCli(
    [
      "sts",
      "get-session-token",
      "--profile",
      "alice",
      "--serial-number",
      ALICE_MFA,
      "--token-code",
      code,
      "--endpoint-url",
      endpoint,
    ],
    env,
  );
}

test("a code used before a restart is refused after it, while a fresh code is accepted", async () => {
  // A code is valid for its 30 s step and the next; the reuse check only proves something while the code is
  // still inside that window, so on a step boundary the scenario starts over with a new code (at most 3 times).
  for (let attempt = 1; attempt <= 3; attempt++) {
    let endpoint = await up();
    const stepBefore = Math.floor(Date.now() / STEP_MS);
    const code = await mfaCode();
    const first = await getSessionToken(endpoint, code);
    assert.equal(first.code, 0, `the fresh code was refused: ${first.stderr}`);

    await down();
    endpoint = await up();
    const reused = await getSessionToken(endpoint, code);
    // Read after the call: if even now we are within the code's window, the sandbox judged it inside it.
    const stillValid = Math.floor(Date.now() / STEP_MS) <= stepBefore + 1;
    assert.notEqual(reused.code, 0, "a consumed code was accepted again after the restart");
    assert.match(reused.stderr, /\(AccessDenied\).*MultiFactorAuthentication failed/s);

    // mfa-code reads the restored state too: it hands out a code that was not used yet, and it works.
    const fresh = await mfaCode();
    const accepted = await getSessionToken(endpoint, fresh);
    assert.equal(accepted.code, 0, `a fresh code after the restart was refused: ${accepted.stderr}`);
    await down();
    if (stillValid) return;
  }
  assert.fail("three attempts straddled a 30 s step boundary; the reuse check never ran inside the window");
});
