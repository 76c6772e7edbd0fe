// Where codes come from: --mfa-code (once) > mfa_process / tobira_mfa_process > the chosen prompt driver.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, TobiraError, UsageError } from "../../src/errors.js";
import { chooseMfaDriver, createMfaSource, type MfaProfileSettings } from "../../src/mfa/index.js";

const request = { profile: "alice", serial: "arn:aws:iam::111111111111:mfa/alice", attempt: 1 };

describe("precedence of the driver after --mfa-code", () => {
  const cases: [string, MfaProfileSettings, string | undefined, string | undefined, string, string][] = [
    // description, profile keys, --mfa-prompt, TOBIRA_MFA_PROMPT, driver, chosen by
    ["nothing set", {}, undefined, undefined, "terminal", "default"],
    ["profile key", { tobira_mfa_prompt: "ykman" }, undefined, undefined, "ykman", "tobira_mfa_prompt"],
    [
      "env beats profile key",
      { tobira_mfa_prompt: "ykman" },
      undefined,
      "terminal",
      "terminal",
      "TOBIRA_MFA_PROMPT",
    ],
    ["flag beats env", { tobira_mfa_prompt: "terminal" }, "ykman", "terminal", "ykman", "--mfa-prompt"],
    [
      "mfa_process beats every prompt",
      { mfa_process: "pass otp aws" },
      "ykman",
      "ykman",
      "command",
      "mfa_process",
    ],
    [
      "tobira_mfa_process beats mfa_process",
      { mfa_process: "a", tobira_mfa_process: "b" },
      undefined,
      undefined,
      "command",
      "tobira_mfa_process",
    ],
    ["blank values are unset", { tobira_mfa_prompt: " ", mfa_process: "" }, "", " ", "terminal", "default"],
    ["command by name", {}, "command", undefined, "command", "--mfa-prompt"],
  ];
  for (const [description, profileSettings, cliPrompt, envPrompt, name, from] of cases) {
    test(description, () => {
      const env = envPrompt === undefined ? {} : { TOBIRA_MFA_PROMPT: envPrompt };
      assert.deepEqual(chooseMfaDriver({ profileSettings, cliPrompt, env }), { name, from });
    });
  }

  test("an unknown prompt is a usage error from the flag or env, a config error from the profile", () => {
    assert.throws(
      () => chooseMfaDriver({ profileSettings: {}, cliPrompt: "zenity", env: {} }),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.equal(error.message, 'unknown MFA prompt "zenity" in --mfa-prompt');
        assert.equal(error.hint, "choose one of: terminal, ykman, command");
        return true;
      },
    );
    assert.throws(
      () => chooseMfaDriver({ profileSettings: {}, env: { TOBIRA_MFA_PROMPT: "x" } }),
      (error: unknown) => error instanceof UsageError,
    );
    assert.throws(
      () => chooseMfaDriver({ profileSettings: { tobira_mfa_prompt: "yubikey" }, env: {} }),
      (error: unknown) => error instanceof ConfigError && /in tobira_mfa_prompt/.test(error.message),
    );
  });
});

describe("createMfaSource", () => {
  test("--mfa-code answers the first request only; later requests go to mfa_process", async () => {
    const source = createMfaSource({
      profileSettings: { mfa_process: "echo 222222", tobira_mfa_prompt: "ykman" },
      cliMfaCode: "111 111",
      env: process.env,
    });
    assert.equal(await source(request), "111111");
    assert.equal(await source(request), "222222");
  });

  test("a refused --mfa-code is not retried: the retry fails at once with advice", async () => {
    const source = createMfaSource({
      profileSettings: { mfa_process: "echo 222222" },
      cliMfaCode: "111111",
      env: {},
    });
    assert.equal(await source(request), "111111");
    await assert.rejects(
      source({ ...request, attempt: 2, reason: "that code was not accepted" }),
      (error: unknown) => {
        assert.ok(error instanceof TobiraError);
        assert.equal(
          error.message,
          `AWS did not accept the code given with --mfa-code for ${request.serial}`,
        );
        assert.match(error.hint ?? "", /next code/);
        return true;
      },
    );
  });

  test("without --mfa-code, retries go to the driver too", async () => {
    const source = createMfaSource({
      profileSettings: { tobira_mfa_process: "echo 333333" },
      env: process.env,
    });
    assert.equal(await source(request), "333333");
    assert.equal(await source({ ...request, attempt: 2 }), "333333");
  });

  test("a malformed --mfa-code or --mfa-prompt fails before any code is asked for", () => {
    assert.throws(
      () => createMfaSource({ profileSettings: {}, cliMfaCode: "12345", env: {} }),
      (error: unknown) => error instanceof UsageError && !error.message.includes("12345"),
    );
    assert.throws(() => createMfaSource({ profileSettings: {}, cliPrompt: "gui", env: {} }), UsageError);
  });

  test("with no terminal and nothing else set, the terminal driver says what to set", async () => {
    const source = createMfaSource({
      profileSettings: {},
      env: {},
      // A device that cannot exist and stdio that are not terminals: as in cron.
      terminal: {
        ttyPath: "/nonexistent/tty",
        stdin: { isTTY: false } as NodeJS.ReadStream,
        stderr: { isTTY: false } as NodeJS.WriteStream,
      },
    });
    await assert.rejects(source(request), {
      message:
        "no terminal to ask for the MFA code: set mfa_process or tobira_mfa_process, or pass --mfa-code",
    });
  });
});
