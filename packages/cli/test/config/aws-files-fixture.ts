// Test fixture: writes an AWS config and credentials file into a fresh temp folder and loads them.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { type ConfigFiles, loadConfigFiles } from "../../src/config/index.js";
import { ConfigError } from "../../src/errors.js";

const folders: string[] = [];
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

export interface AwsFiles {
  dir: string;
  configPath: string;
  credentialsPath: string;
  /** Loads through the env overrides, the way a user with AWS_CONFIG_FILE set would. */
  load(): Promise<ConfigFiles>;
}

/** Writes the files that are given (an omitted one does not exist). */
export function writeAwsFiles(files: { config?: string; credentials?: string }): AwsFiles {
  const dir = mkdtempSync(join(tmpdir(), "tobira-config-"));
  folders.push(dir);
  const configPath = join(dir, "config");
  const credentialsPath = join(dir, "credentials");
  if (files.config !== undefined) writeFileSync(configPath, files.config);
  if (files.credentials !== undefined) writeFileSync(credentialsPath, files.credentials, { mode: 0o600 });
  return {
    dir,
    configPath,
    credentialsPath,
    load: () =>
      loadConfigFiles({ env: { AWS_CONFIG_FILE: configPath, AWS_SHARED_CREDENTIALS_FILE: credentialsPath } }),
  };
}

export function freshFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "tobira-config-"));
  folders.push(dir);
  return dir;
}

/** Asserts a ConfigError (or the given class) whose message contains every fragment. */
export function assertErrorNames(
  error: unknown,
  fragments: readonly string[],
  kind: new (...args: never[]) => Error = ConfigError,
): void {
  assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
  for (const fragment of fragments) {
    assert.ok(
      error.message.includes(fragment),
      `message lacks ${JSON.stringify(fragment)}: ${error.message}`,
    );
  }
}

/** Runs `action` and returns what it threw (fails when it does not throw). */
export async function thrownBy(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  assert.fail("expected an error, none was thrown");
}

/** The sandbox's own config (see `tobira sandbox`), used as a fixture as it is. */
export const SANDBOX_CONFIG = `[profile alice]
region = ap-northeast-1
endpoint_url = http://127.0.0.1:4566
[profile switch]
role_arn = arn:aws:iam::222222222222:role/Role-for-switch
source_profile = alice
mfa_serial = arn:aws:iam::111111111111:mfa/alice
region = ap-northeast-1
endpoint_url = http://127.0.0.1:4566
`;

export const SANDBOX_CREDENTIALS = `[alice]
aws_access_key_id = AKIAALICEEXAMPLE0001
aws_secret_access_key = aliceSecretKeyExample0000000000000000001
`;
