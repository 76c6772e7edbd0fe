// The ykman driver against a stand-in `ykman` script on PATH that behaves as ykman 5 does for a touch account.
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { TobiraError } from "../../src/errors.js";
import { createYkmanDriver, type MfaRequest, parseYkmanCode } from "../../src/mfa/index.js";

const SERIAL = "arn:aws:iam::111111111111:mfa/alice";
const request: MfaRequest = { profile: "switch", serial: SERIAL, attempt: 1 };

const binDir = mkdtempSync(join(tmpdir(), "tobira-ykman-"));
const emptyDir = mkdtempSync(join(tmpdir(), "tobira-nobin-"));
after(() => {
  rmSync(binDir, { recursive: true, force: true });
  rmSync(emptyDir, { recursive: true, force: true });
});

// Records its argv (one per line) and its whole command line as the kernel shows it to other users (ps).
writeFileSync(
  join(binDir, "ykman"),
  `#!/bin/sh
printf '%s\\n' "$@" > "$STANDIN_ARGS"
tr '\\0' ' ' < /proc/$$/cmdline > "$STANDIN_CMDLINE"
case "$STANDIN_MODE" in
  ok) echo "Touch your YubiKey..." >&2; echo 482913 ;;
  plain) echo "$5  482913" ;;
  warn) echo "WARNING: old firmware" >&2; echo 482913 ;;
  no-account) echo "Error: No matching account found." >&2; exit 1 ;;
  many) echo "Error: Multiple matches, please make the query more specific." >&2; exit 1 ;;
  timeout) echo "Touch your YubiKey..." >&2; echo "Error: Touch account timed out!" >&2; exit 1 ;;
  eight) echo 48291377 ;;
esac
`,
);
chmodSync(join(binDir, "ykman"), 0o755);

function standIn(mode: string) {
  const argsFile = join(binDir, `args-${mode}`);
  const cmdlineFile = join(binDir, `cmdline-${mode}`);
  const notices: string[] = [];
  const env = {
    PATH: `${binDir}:/usr/bin:/bin`,
    STANDIN_MODE: mode,
    STANDIN_ARGS: argsFile,
    STANDIN_CMDLINE: cmdlineFile,
  };
  return {
    env,
    notices,
    notice: (text: string) => notices.push(text),
    args: () => readFileSync(argsFile, "utf8").split("\n").slice(0, -1),
    cmdline: () => readFileSync(cmdlineFile, "utf8"),
  };
}

test("runs exactly `ykman oath accounts code --single SERIAL`, relays the touch prompt and returns the code", async () => {
  const ykman = standIn("ok");
  const code = await createYkmanDriver({ env: ykman.env, notice: ykman.notice }).getCode(request);
  assert.equal(code, "482913");
  assert.deepEqual(ykman.args(), ["oath", "accounts", "code", "--single", SERIAL]);
  assert.deepEqual(ykman.notices, [`Touch your YubiKey… (MFA code for ${SERIAL}, profile switch)\n`]);
  assert.ok(!ykman.cmdline().includes("482913"), "the code is never in a command line");
});

test("uses tobira_ykman_account as the account name when set", async () => {
  const ykman = standIn("ok");
  await createYkmanDriver({ env: ykman.env, notice: ykman.notice, account: "AWS alice" }).getCode(request);
  assert.deepEqual(ykman.args(), ["oath", "accounts", "code", "--single", "AWS alice"]);
});

test("relays other ykman messages to the user as they are", async () => {
  const ykman = standIn("warn");
  assert.equal(await createYkmanDriver({ env: ykman.env, notice: ykman.notice }).getCode(request), "482913");
  assert.deepEqual(ykman.notices, ["WARNING: old firmware\n"]);
});

test("missing ykman: says so and how to install it or choose another prompt", async () => {
  await assert.rejects(
    createYkmanDriver({ env: { PATH: emptyDir }, notice: () => {} }).getCode(request),
    (error: unknown) => {
      assert.ok(error instanceof TobiraError);
      assert.match(error.message, /ykman was not found on PATH/);
      assert.match(error.hint ?? "", /yubikey-manager/);
      assert.match(error.hint ?? "", /--mfa-prompt/);
      return true;
    },
  );
});

test("no such account: names the account and how to pick the right one", async () => {
  const ykman = standIn("no-account");
  await assert.rejects(createYkmanDriver({ env: ykman.env, notice: ykman.notice }).getCode(request), {
    message: `the YubiKey has no OATH account named "${SERIAL}"`,
    hint: `list the accounts with \`ykman oath accounts list\` and set tobira_ykman_account in profile switch to the one for ${SERIAL}`,
  });
  assert.deepEqual(ykman.notices, [], "ykman's own error line is replaced by ours, not shown twice");
});

test("several matching accounts and a touch timeout get their own errors", async () => {
  const many = standIn("many");
  await assert.rejects(createYkmanDriver({ env: many.env, notice: many.notice }).getCode(request), {
    message: `more than one OATH account on the YubiKey matches "${SERIAL}"`,
  });
  const slow = standIn("timeout");
  await assert.rejects(createYkmanDriver({ env: slow.env, notice: slow.notice }).getCode(request), {
    message: "the YubiKey was not touched in time",
  });
});

test("a code that is not 6 digits is refused before it reaches AWS", async () => {
  const ykman = standIn("eight");
  await assert.rejects(createYkmanDriver({ env: ykman.env, notice: ykman.notice }).getCode(request), {
    message: `ykman did not print a 6-digit code for the OATH account "${SERIAL}"`,
  });
});

test("reads the code from the older `NAME  CODE` output too", async () => {
  const ykman = standIn("plain");
  assert.equal(await createYkmanDriver({ env: ykman.env, notice: ykman.notice }).getCode(request), "482913");
  assert.equal(parseYkmanCode(`${SERIAL} 289460\n`), "289460");
  assert.equal(parseYkmanCode("Touch your YubiKey...\n"), undefined);
});

test("after a used code, waits for the next TOTP step before touching the key again", async () => {
  const ykman = standIn("ok");
  const waits: number[] = [];
  const now = 1_700_000_020_000; // 10 s into a 30 s step
  const code = await createYkmanDriver({
    env: ykman.env,
    notice: ykman.notice,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
    },
  }).getCode({ ...request, attempt: 2, reason: "this code was already used", notBefore: now + 21_000 });
  assert.equal(code, "482913");
  assert.deepEqual(waits, [21_000]);
  assert.deepEqual(ykman.notices.slice(0, 2), [
    "this code was already used\n",
    "waiting 21 s for the next code from the YubiKey…\n",
  ]);
});
