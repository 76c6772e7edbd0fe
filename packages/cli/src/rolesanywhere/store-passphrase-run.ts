// `tobira rolesanywhere store-passphrase | forget-passphrase --private-key FILE`: keeps an encrypted private
// key's passphrase in tobira's vault (keyring or encrypted file, as `tobira add` keeps access keys), named by
// the key file's SHA-256, so `--passphrase-source vault` finds it for that key whatever its path. The
// passphrase is typed on the terminal without echo, or taken from TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE with
// --env; it must decrypt the key before anything is stored.

import {
  isEncrypted,
  PASSPHRASE_VARIABLE,
  parseKey,
  readBytes,
  vaultPassphraseName,
} from "../credentials/rolesanywhere/key-material.js";
import { UsageError } from "../errors.js";
import { askOnTerminal } from "../terminal/index.js";
import { openVault } from "../vault/open-vault.js";

export interface PassphraseFlags {
  privateKey?: string;
  env?: boolean;
  force?: boolean;
  backend?: string;
  json?: boolean;
}

async function encryptedKey(flags: PassphraseFlags): Promise<{ path: string; bytes: Buffer }> {
  const path = flags.privateKey;
  if (path === undefined)
    throw new UsageError("missing --private-key", { hint: "name the encrypted key file" });
  const bytes = await readBytes(path, "private key");
  if (!isEncrypted(bytes)) {
    throw new UsageError(`the private key ${path} is not encrypted: it has no passphrase to store`);
  }
  return { path, bytes };
}

async function typedPassphrase(
  flags: PassphraseFlags,
  path: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  if (flags.env) {
    const value = env[PASSPHRASE_VARIABLE];
    if (value === undefined || value === "") {
      throw new UsageError(`--env needs ${PASSPHRASE_VARIABLE} in the environment`, {
        hint: "set it, or leave out --env to type the passphrase",
      });
    }
    return value;
  }
  return askOnTerminal(`Passphrase for the private key ${path} (not shown): `, {
    what: "the private key's passphrase",
    echo: false,
    whenNoTerminal: `pass --env with ${PASSPHRASE_VARIABLE} set`,
  });
}

function report(flags: PassphraseFlags, line: string, fields: Record<string, unknown>): void {
  process.stdout.write(flags.json ? `${JSON.stringify(fields)}\n` : `${line}\n`);
}

/** The encrypted key the flags name, the vault entry its passphrase goes under, and the vault. */
async function keyAndVault(flags: PassphraseFlags, env: NodeJS.ProcessEnv) {
  const { path, bytes } = await encryptedKey(flags);
  const vault = await openVault({ backend: flags.backend, env });
  return { path, bytes, name: vaultPassphraseName(bytes), vault };
}

export async function runStorePassphrase(
  flags: PassphraseFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const { path, bytes, name, vault } = await keyAndVault(flags, env);
  if (!flags.force && (await vault.secrets.get(name)) !== undefined) {
    throw new UsageError(`the ${vault.location} already holds a passphrase for ${path}`, {
      hint: "pass --force to replace it",
    });
  }
  const secret = await typedPassphrase(flags, path, env);
  parseKey(bytes, secret, path); // a wrong passphrase stops here, with nothing stored
  await vault.secrets.set(name, {
    secret,
    addedAt: new Date().toISOString(),
    label: `passphrase of ${path}`,
  });
  report(flags, `Stored the passphrase of ${path} in the ${vault.location}.`, {
    stored: true,
    privateKey: path,
    name,
    backend: vault.backend,
    vault: vault.location,
  });
}

export async function runForgetPassphrase(
  flags: PassphraseFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const { path, name, vault } = await keyAndVault(flags, env);
  const removed = await vault.secrets.remove(name);
  report(
    flags,
    removed
      ? `Removed the passphrase of ${path} from the ${vault.location}.`
      : `The ${vault.location} held no passphrase for ${path}.`,
    { removed, privateKey: path, name, backend: vault.backend, vault: vault.location },
  );
}
