// alice's machine for the demo's credential steps: the built `tobira` on PATH, an AWS config with no keys in it,
// an encrypted file vault, a session cache (sandbox-control/user-machine.ts), and a whoami program to run.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { SandboxPaths } from "../sandbox-control/state-folder.js";
import { type CommandResult, prepareUserMachine, sandboxUserKey } from "../sandbox-control/user-machine.js";

export type { CommandResult };

/** A demo passphrase: given through TOBIRA_VAULT_PASSPHRASE, as a script would (a person would be asked). */
const DEMO_PASSPHRASE = "tobira demo passphrase";
/** The profile the AWS CLI uses, whose credentials come from `tobira credential-process switch`. */
export const AWS_CLI_PROFILE = "switch-cli";

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

/** Sets up the user's files next to the sandbox's. `cli` is the script this `tobira` runs from. */
export function prepareDemoUser(paths: SandboxPaths, cli: string): DemoUser {
  const home = join(paths.stateDir, "user");
  const bin = join(home, "bin");
  mkdirSync(bin, { recursive: true, mode: 0o700 });
  // `tobira` on PATH, as `npm install -g` would leave it: config lines then read as a user writes them.
  writeFileSync(join(bin, "tobira"), `#!/bin/sh\nexec '${process.execPath}' '${cli}' "$@"\n`, {
    mode: 0o755,
  });
  // alice's MFA codes are read from the sandbox's virtual device instead of a phone, and one profile is for the
  // AWS CLI. Her key is NOT copied: the credentials file stays out of the picture.
  const machine = prepareUserMachine(paths, {
    home,
    mfaProcess: `tobira sandbox mfa-code alice --state '${paths.stateDir}'`,
    extraConfig: `\n[profile ${AWS_CLI_PROFILE}]\ncredential_process = tobira credential-process switch\n`,
    passphrase: DEMO_PASSPHRASE,
    env: { PATH: `${bin}${delimiter}${process.env.PATH ?? ""}` },
  });
  return {
    home,
    configLines: [
      "[profile alice]",
      "tobira_mfa_process = tobira sandbox mfa-code alice",
      "",
      `[profile ${AWS_CLI_PROFILE}]`,
      "credential_process = tobira credential-process switch",
    ],
    whoami: writeWhoami(home),
    run: (command, args, extra = {}) => machine.run(command, args, { extra }),
    aliceKey: () => sandboxUserKey(paths.credentials),
  };
}

/** Writes the program `exec` runs in the demo: GetCallerIdentity through the SDK's default credential chain. */
function writeWhoami(home: string): string {
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
  return whoami;
}
