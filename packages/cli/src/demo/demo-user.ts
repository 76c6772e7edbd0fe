// A user's machine for the demo's credential steps: the built `tobira` on PATH, an AWS config with no keys in
// it, an encrypted file vault, a session cache, and a helper that runs commands there as separate processes.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { TobiraError } from "../errors.js";
import type { SandboxPaths } from "../sandbox-control/state-folder.js";

/** A demo passphrase: given through TOBIRA_VAULT_PASSPHRASE, as a script would (a person would be asked). */
const DEMO_PASSPHRASE = "tobira demo passphrase";
/** The profile the AWS CLI uses, whose credentials come from `tobira credential-process switch`. */
export const AWS_CLI_PROFILE = "switch-cli";

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface DemoUser {
  /** The folder holding the user's files (inside the demo's state folder). */
  home: string;
  /** What a user would add to ~/.aws/config, as the demo shows it. */
  configLines: string[];
  /** A program that prints GetCallerIdentity through the AWS SDK's default chain (what `exec` runs). */
  whoami: string;
  /** Runs a command as the user: the demo's environment, `tobira` on PATH, no stdin. */
  run(command: string, args: readonly string[], extra?: NodeJS.ProcessEnv): Promise<CommandResult>;
  /** alice's long-term key, as the IAM console showed it to her (the sandbox's credentials file). */
  aliceKey(): { accessKeyId: string; secretAccessKey: string };
}

/** Variables of the developer's shell that would point tobira or an SDK elsewhere. */
function withoutAwsSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith("AWS_") && !name.startsWith("TOBIRA_")) clean[name] = value;
  }
  return clean;
}

/** Sets up the user's files next to the sandbox's. `cli` is the script this `tobira` runs from. */
export function prepareDemoUser(paths: SandboxPaths, cli: string): DemoUser {
  const home = join(paths.stateDir, "user");
  const bin = join(home, "bin");
  mkdirSync(bin, { recursive: true, mode: 0o700 });
  // `tobira` on PATH, as `npm install -g` would leave it: config lines then read as a user writes them.
  writeFileSync(join(bin, "tobira"), `#!/bin/sh\nexec '${process.execPath}' '${cli}' "$@"\n`, {
    mode: 0o755,
  });

  // The sandbox's config, with alice's MFA codes read from the sandbox's virtual device instead of a phone,
  // and one profile for the AWS CLI. Her key is NOT copied: the credentials file stays out of the picture.
  const mfaProcess = `tobira sandbox mfa-code alice --state '${paths.stateDir}'`;
  const configLines = [
    "[profile alice]",
    "tobira_mfa_process = tobira sandbox mfa-code alice",
    "",
    `[profile ${AWS_CLI_PROFILE}]`,
    "credential_process = tobira credential-process switch",
  ];
  const config = readFileSync(paths.config, "utf8")
    .replace("[profile alice]\n", `[profile alice]\ntobira_mfa_process = ${mfaProcess}\n`)
    .concat(`\n[profile ${AWS_CLI_PROFILE}]\ncredential_process = tobira credential-process switch\n`);
  if (!config.includes(mfaProcess)) {
    throw new TobiraError(`the sandbox's config file ${paths.config} has no [profile alice] section`, {
      hint: "the demo needs the built-in world; run it without a --state folder that holds another world",
    });
  }
  writeFileSync(join(home, "config"), config, { mode: 0o600 });

  // The SDK is resolved here, where tobira's own dependencies are, so the program runs from any folder.
  const sts = pathToFileURL(createRequire(import.meta.url).resolve("@aws-sdk/client-sts")).href;
  const whoami = join(home, "whoami.mjs");
  writeFileSync(
    whoami,
    `// GetCallerIdentity with the AWS SDK's default credential chain, as any program would make it.
const sdk = await import(${JSON.stringify(sts)});
const { STSClient, GetCallerIdentityCommand } = sdk.STSClient ? sdk : sdk.default;
const out = await new STSClient({}).send(new GetCallerIdentityCommand({}));
console.log("Arn: " + out.Arn + "\\nrequest id: " + out.$metadata.requestId);
`,
  );

  const env: NodeJS.ProcessEnv = {
    ...withoutAwsSettings(process.env),
    PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
    AWS_CONFIG_FILE: join(home, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "no-credentials-file"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PAGER: "",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    TOBIRA_BACKEND: "file",
    TOBIRA_VAULT_FILE: join(home, "vault"),
    TOBIRA_VAULT_PASSPHRASE: DEMO_PASSPHRASE,
    TOBIRA_CACHE_DIR: join(home, "cache"),
    TOBIRA_RUNTIME_DIR: join(home, "run"),
  };

  return {
    home,
    configLines,
    whoami,
    run: (command, args, extra = {}) => runCommand(command, args, { ...env, ...extra }),
    aliceKey() {
      const match = /\[alice\]\s+aws_access_key_id = (\S+)\s+aws_secret_access_key = (\S+)/.exec(
        readFileSync(paths.credentials, "utf8"),
      );
      if (!match) {
        throw new TobiraError(`the sandbox's credentials file ${paths.credentials} has no key for alice`, {
          hint: "the demo needs the built-in world",
        });
      }
      return { accessKeyId: match[1]!, secretAccessKey: match[2]! };
    },
  };
}

function runCommand(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", (error: NodeJS.ErrnoException) =>
      resolve({
        code: null,
        stdout,
        stderr: `${stderr}cannot run ${command}: ${error.code ?? error.message}`,
      }),
    );
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
