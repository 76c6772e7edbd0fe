// Bench suite of issue 3: `tobira credential-process` on a cache hit, next to what the AWS CLI pays for the
// same role's credentials (through tobira as its credential_process, and through its own assume-role cache).
//
// Set-up, as a user would do it: a sandbox in a temp state folder, alice's key stored with `tobira add alice
// --env` in a temp file vault, `switch` resolved once (one MFA code from the sandbox via tobira_mfa_process),
// so every timed tobira run is a cache hit. The sandbox's audit log proves it: no STS call while timing.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mfaCodeFor, startSandbox } from "../../packages/sandbox/dist/src/index.js";
import { runStep } from "../child-run.mjs";

const ALICE_MFA = "arn:aws:iam::111111111111:mfa/alice";
const PASSPHRASE = "bench passphrase, not a secret";

/** POSIX shell single quotes, for the commands written into the AWS config. */
const shellQuote = (word) => `'${word.replaceAll("'", `'\\''`)}'`;

/** @param {import("../run.mjs").BenchContext} context */
export async function credentialProcessSuite(context) {
  const { root, node, tobiraBin, launcher, awsCli, baseEnv, log } = context;
  const stateDir = join(root, "sandbox");
  const sandbox = await startSandbox({ stateDir });
  const stsCalls = () =>
    (existsSync(join(stateDir, "audit.jsonl")) ? readFileSync(join(stateDir, "audit.jsonl"), "utf8") : "")
      .split("\n")
      .filter((line) => line !== "" && JSON.parse(line).service === "sts").length;
  try {
    const credentialsText = readFileSync(join(stateDir, "credentials"), "utf8");
    const alice = /\[alice\]\s+aws_access_key_id = (\S+)\s+aws_secret_access_key = (\S+)/.exec(
      credentialsText,
    );
    if (!alice) throw new Error(`bench set-up failed: no key for alice in ${join(stateDir, "credentials")}`);

    const mfaProcess = [node, tobiraBin, "sandbox", "mfa-code", ALICE_MFA, "--state", stateDir]
      .map(shellQuote)
      .join(" ");
    const credentialProcess = [node, tobiraBin, "credential-process", "switch"].map(shellQuote).join(" ");
    const config = readFileSync(join(stateDir, "config"), "utf8")
      .replace("[profile alice]\n", `[profile alice]\ntobira_mfa_process = ${mfaProcess}\n`)
      .concat(`\n[profile switch-cp]\nregion = ap-northeast-1\ncredential_process = ${credentialProcess}\n`);
    writeFileSync(join(root, "config"), config, { mode: 0o600 });

    const env = {
      ...baseEnv,
      AWS_CONFIG_FILE: join(root, "config"),
      // No plain key for tobira: alice's key lives only in the vault.
      AWS_SHARED_CREDENTIALS_FILE: join(root, "no-credentials-file"),
      TOBIRA_BACKEND: "file",
      TOBIRA_VAULT_FILE: join(root, "vault", "tobira.vault"),
      TOBIRA_VAULT_PASSPHRASE: PASSPHRASE,
      TOBIRA_CACHE_DIR: join(root, "cache"),
      TOBIRA_RUNTIME_DIR: join(root, "run"),
    };
    // The AWS CLI's own assume-role path reads alice's key from the sandbox's credentials file.
    const awsOwnEnv = { ...env, AWS_SHARED_CREDENTIALS_FILE: join(stateDir, "credentials") };

    log("storing alice's key: tobira add alice --env");
    await runStep("tobira add alice --env", {
      command: node,
      args: [launcher, "add", "alice", "--env"],
      env: { ...env, AWS_ACCESS_KEY_ID: alice[1], AWS_SECRET_ACCESS_KEY: alice[2] },
    });
    log("warming the cache: tobira credential-process switch (one MFA code from the sandbox)");
    const warm = await runStep("tobira credential-process switch", {
      command: node,
      args: [launcher, "credential-process", "switch"],
      env,
    });
    const expected = JSON.parse(warm.stdout);

    const hasAssumedRoleKeys = (stdout) => {
      const out = JSON.parse(stdout);
      return out.Version === 1 && out.AccessKeyId === expected.AccessKeyId;
    };
    const measurements = [
      {
        id: "tobira-cache-hit",
        label: "tobira credential-process switch (cache hit)",
        command: node,
        args: [tobiraBin, "credential-process", "switch"],
        env,
        check: hasAssumedRoleKeys,
      },
      {
        // What the fast path saves: the same hit through commander and the command's full path.
        id: "tobira-full-path-hit",
        label: "the same cache hit without the fast path",
        command: node,
        args: [launcher, "credential-process", "switch"],
        env,
        check: hasAssumedRoleKeys,
      },
    ];
    for (const [index, entry] of context.compareBins.entries()) {
      measurements.push({
        id: `compare-bin-${index + 1}`,
        label: `the same cache hit through ${entry}`,
        command: node,
        args: [entry, "credential-process", "switch"],
        env,
        check: hasAssumedRoleKeys,
      });
    }
    const ratios = [
      { label: "cache hit / node -e 0", of: "tobira-cache-hit", to: "node-baseline", target: 1.3 },
      { label: "full path hit / node -e 0", of: "tobira-full-path-hit", to: "node-baseline" },
    ];

    if (awsCli) {
      measurements.push({
        id: "aws-via-tobira",
        label: "aws configure export-credentials (credential_process = tobira)",
        command: awsCli,
        args: ["configure", "export-credentials", "--profile", "switch-cp"],
        env,
        check: (stdout) => JSON.parse(stdout).AccessKeyId === expected.AccessKeyId,
      });
      ratios.push({ label: "aws via tobira / tobira hit", of: "aws-via-tobira", to: "tobira-cache-hit" });
      // The AWS CLI's floor: static keys from a credentials file, no STS call, no child process.
      measurements.push({
        id: "aws-static-keys",
        label: "aws configure export-credentials (static keys in a file)",
        command: awsCli,
        args: ["configure", "export-credentials", "--profile", "alice"],
        env: awsOwnEnv,
        check: (stdout) => JSON.parse(stdout).AccessKeyId === alice[1],
      });
      ratios.push({ label: "aws via tobira / aws static keys", of: "aws-via-tobira", to: "aws-static-keys" });
      if (await warmAwsOwnAssumeRole(context, awsOwnEnv, stateDir)) {
        measurements.push({
          id: "aws-own-cache",
          label: "aws configure export-credentials (its own assume-role cache)",
          command: awsCli,
          args: ["configure", "export-credentials", "--profile", "switch"],
          env: awsOwnEnv,
          check: (stdout) => typeof JSON.parse(stdout).SessionToken === "string",
        });
        ratios.push({ label: "aws via tobira / aws own cache", of: "aws-via-tobira", to: "aws-own-cache" });
      }
    } else {
      log("no AWS CLI v2 found (set TOBIRA_AWS_CLI): the AWS CLI rows are left out");
    }

    let stsBefore = 0;
    return {
      measurements,
      ratios,
      beforeTiming: () => {
        stsBefore = stsCalls();
      },
      afterTiming: () => ({ "STS calls while timing (must be 0)": stsCalls() - stsBefore }),
      close: () => sandbox.close(),
    };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

/**
 * Fills the AWS CLI's own cache (~/.aws/cli/cache under the bench's HOME) for `switch`: one MFA code typed on
 * its prompt. Runs detached from any terminal so the prompt reads the piped code, never the user's tty.
 * Returns false (and says why) when the AWS CLI does not cache this path.
 */
async function warmAwsOwnAssumeRole(context, env, stateDir) {
  const { awsCli, log } = context;
  // endpoint_url in the config (how the AWS CLI would reach the sandbox's STS) arrived in AWS CLI 2.13.
  const version = await runStep("aws --version", { command: awsCli, args: ["--version"], env });
  const [major = 0, minor = 0] = (/aws-cli\/(\d+)\.(\d+)/.exec(version.stdout) ?? []).slice(1).map(Number);
  if (major < 2 || (major === 2 && minor < 13)) {
    log(
      `${version.stdout.split(" ")[0]} ignores endpoint_url (needs 2.13+): its own assume-role row is left out`,
    );
    return false;
  }
  log("warming the AWS CLI's own assume-role cache for switch (may wait up to 30 s for a fresh MFA code)");
  const code = await mfaCodeFor(stateDir, ALICE_MFA);
  const run = {
    command: awsCli,
    args: ["configure", "export-credentials", "--profile", "switch"],
    env,
    detached: true,
  };
  const first = await runStep("aws configure export-credentials --profile switch", {
    ...run,
    input: `${code}\n`,
  });
  if (!JSON.parse(first.stdout).AccessKeyId) return false;
  // The second call must not need a code: with no input it fails unless the cache answers.
  const second = await runStep("aws configure export-credentials --profile switch (cached)", run).catch(
    (error) => error,
  );
  if (second instanceof Error) {
    log(`the AWS CLI did not cache switch's role session; its row is left out (${second.message})`);
    return false;
  }
  return true;
}
