// The command driver (mfa_process / tobira_mfa_process) with real shell commands.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ConfigError } from "../../src/errors.js";
import { createCommandDriver, findMfaProcess, type MfaRequest } from "../../src/mfa/index.js";

const SERIAL = "arn:aws:iam::111111111111:mfa/alice";
const request: MfaRequest = { profile: "alice", serial: SERIAL, attempt: 1 };
const workDir = mkdtempSync(join(tmpdir(), "tobira-mfa-cmd-"));
after(() => rmSync(workDir, { recursive: true, force: true }));
const quiet = { notice: () => {} };

test("runs the command through /bin/sh -c with the request in TOBIRA_MFA_* and returns its trimmed stdout", async () => {
  const record = join(workDir, "env");
  const driver = createCommandDriver({
    ...quiet,
    process: {
      key: "mfa_process",
      command: `printf '%s|%s|%s' "$TOBIRA_MFA_SERIAL" "$TOBIRA_MFA_PROFILE" "$TOBIRA_MFA_ATTEMPT" > ${record}; echo "  314159  "`,
    },
  });
  assert.equal(await driver.getCode(request), "314159");
  assert.equal(readFileSync(record, "utf8"), `${SERIAL}|alice|1`);
});

test("a retry gets the attempt number, and neither argv nor environment carries the refused code", async () => {
  const record = join(workDir, "retry");
  const driver = createCommandDriver({
    ...quiet,
    process: {
      key: "tobira_mfa_process",
      command: `{ tr '\\0' ' ' < /proc/$$/cmdline; echo; env; } > ${record}; echo 271828`,
    },
  });
  const code = await driver.getCode({ ...request, attempt: 2, reason: "that code was not accepted" });
  assert.equal(code, "271828");
  const seen = readFileSync(record, "utf8");
  assert.match(seen, /TOBIRA_MFA_ATTEMPT=2/);
  assert.ok(!seen.includes("314159"), "the previous, refused code is passed nowhere");
});

test("a failing command: the error names the profile key and exit code, never the command (it may hold a seed)", async () => {
  const driver = createCommandDriver({
    ...quiet,
    process: {
      key: "mfa_process",
      command: "oathtool_missing --totp -b JBSWY3DPEHPK3PXP 2>/dev/null; exit 3",
    },
  });
  await assert.rejects(driver.getCode(request), (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.equal(error.message, "mfa_process of profile alice failed with exit code 3");
    assert.ok(
      !JSON.stringify({ m: error.message, h: (error as { hint?: string }).hint }).includes("JBSWY3DP"),
    );
    return true;
  });
});

test("output that is not a 6-digit code is refused without being shown", async () => {
  const driver = createCommandDriver({
    ...quiet,
    process: { key: "mfa_process", command: "echo JBSWY3DPEHPK3PXP" },
  });
  await assert.rejects(driver.getCode(request), (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.equal(error.message, "mfa_process of profile alice did not print a 6-digit MFA code");
    assert.ok(!error.message.includes("JBSWY3DP"));
    return true;
  });
});

test("the command prompt without any command is a configuration error with advice", async () => {
  await assert.rejects(
    createCommandDriver({ ...quiet, process: undefined }).getCode(request),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.hint ?? "", /mfa_process = /);
      return true;
    },
  );
});

test("tobira_mfa_process wins over mfa_process; blank values count as unset", () => {
  assert.deepEqual(findMfaProcess({ mfa_process: "a", tobira_mfa_process: "b" }), {
    key: "tobira_mfa_process",
    command: "b",
  });
  assert.deepEqual(findMfaProcess({ mfa_process: "a", tobira_mfa_process: "  " }), {
    key: "mfa_process",
    command: "a",
  });
  assert.equal(findMfaProcess({}), undefined);
});
