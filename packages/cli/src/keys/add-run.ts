// What `tobira add PROFILE` does: takes an IAM user's long-term key from the environment or the terminal,
// stores it in the vault, and drops the sessions cached from the key it replaces.
import { forgetCachedSessions } from "../credentials/cached-sessions.js";
import { UsageError } from "../errors.js";
import { requireTerminal } from "../terminal/index.js";
import {
  checkAccessKeyId,
  checkProfileName,
  checkSecretAccessKey,
  maskAccessKeyId,
} from "../vault/access-key-shape.js";
import { openVault } from "../vault/open-vault.js";
import { plural } from "./plural.js";

export interface AddOptions {
  /** --env: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead of asking. */
  env?: boolean;
  /** --force: replace a key already stored. */
  force?: boolean;
  backend?: string;
}

interface TypedKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export async function runAdd(profile: string, options: AddOptions): Promise<void> {
  checkProfileName(profile);
  const fromEnv = options.env ? keyFromEnvironment(process.env) : undefined;
  const vault = await openVault({ backend: options.backend });
  const existing = await vault.keys.get(profile);
  if (existing && !options.force) {
    throw new UsageError(
      `profile '${profile}' already has a key in the vault (${maskAccessKeyId(existing.accessKeyId)})`,
      { hint: "pass --force to replace it, or `tobira remove` it first" },
    );
  }
  const typed = fromEnv ?? (await keyTypedOnTerminal(profile));
  await vault.keys.set(profile, { ...typed, addedAt: new Date().toISOString() });
  // Sessions and the cached record of the old key must not outlive it.
  const dropped = await forgetCachedSessions(profile);
  process.stdout.write(
    `Stored access key ${maskAccessKeyId(typed.accessKeyId)} for profile '${profile}' in the ${vault.location}` +
      (dropped > 0 ? ` and dropped ${plural(dropped, "cached session")} made with the old key` : "") +
      ".\n",
  );
}

/** --env: both variables set, no session token (that would be temporary credentials), shapes checked. */
function keyFromEnvironment(env: NodeJS.ProcessEnv): TypedKey {
  const accessKeyId = env.AWS_ACCESS_KEY_ID ?? "";
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY ?? "";
  if (accessKeyId === "" || secretAccessKey === "") {
    throw new UsageError("--env needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment", {
      hint: "set both, or leave out --env to type them",
    });
  }
  if (env.AWS_SESSION_TOKEN) {
    throw new UsageError("the environment holds temporary credentials (AWS_SESSION_TOKEN is set)", {
      hint: "store the IAM user's long-term key; unset AWS_SESSION_TOKEN",
    });
  }
  checkAccessKeyId(accessKeyId);
  checkSecretAccessKey(secretAccessKey);
  return { accessKeyId, secretAccessKey };
}

/** Asks for the key id, then the secret without echo, on the terminal (never from the command line). */
async function keyTypedOnTerminal(profile: string): Promise<TypedKey> {
  const terminal = requireTerminal(
    "the access key",
    "pass --env with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set",
  );
  try {
    const idQuestion = `Access key ID for profile '${profile}': `;
    const accessKeyId = (await terminal.ask(idQuestion, { what: "the access key ID" })).trim();
    checkAccessKeyId(accessKeyId);
    const secretQuestion = "Secret access key (not shown): ";
    const secretAccessKey = (
      await terminal.ask(secretQuestion, { what: "the secret access key", echo: false })
    ).trim();
    checkSecretAccessKey(secretAccessKey);
    return { accessKeyId, secretAccessKey };
  } finally {
    terminal.close();
  }
}
