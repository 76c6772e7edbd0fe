// Reads the role credentials the agent leaves in the shared credentials file, safely. The agent rewrites
// that file in place (truncate, then write: facts A.7), so a read can land in the middle of a rewrite; and
// the file holds no expiry, which lives in identity_config.json. A read is accepted only when
//   - the file did not change while it was read (same inode, size and mtime before and after, and the bytes
//     read match the size), and two reads in a row give the same bytes;
//   - it ends with a newline (a complete write does) and the profile has all three keys, each well formed;
//   - the expiry is known and more than a minute away.
// A torn read is retried a few times, then reported; an expired or unknown expiry is never served.

import { open, readFile, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { AwsCredentials } from "../credentials/ports.js";
import { TobiraError } from "../errors.js";
import type { NodeFiles } from "./agent-files.js";

/** Credentials expiring sooner than this are refused: a caller could not finish a call with them. */
export const EXPIRY_MARGIN_MS = 60_000;
/** Hybrid role tokens last an hour: a file older than that cannot hold live credentials, whatever it says. */
export const MAX_TOKEN_LIFETIME_MS = 3600_000;
const ATTEMPTS = 20;
const RETRY_MS = 25;

export class NodeCredentialsError extends TobiraError {
  override name = "NodeCredentialsError";
  /** torn: no whole read while the agent rewrote the file; the rest are the file's own state. */
  readonly kind: "torn" | "expired" | "missing";
  constructor(kind: NodeCredentialsError["kind"], message: string, options: { hint?: string } = {}) {
    super(message, options);
    this.kind = kind;
  }
}

export interface NodeCredentials extends AwsCredentials {
  sessionToken: string;
  expiration: string;
  /** When the agent fetched them (identity_config.json). */
  retrievedAt: string;
}

interface Snapshot {
  text: string;
  mtimeMs: number;
}

/** One read that saw no writer: the bytes between two identical stats. Undefined when it raced a rewrite. */
async function stableRead(path: string): Promise<Snapshot | undefined> {
  const handle = await open(path, "r");
  try {
    const before = await handle.stat();
    const bytes = await handle.readFile();
    const after = await stat(path);
    const same =
      before.ino === after.ino &&
      before.size === after.size &&
      before.mtimeMs === after.mtimeMs &&
      bytes.length === before.size;
    return same ? { text: bytes.toString("utf8"), mtimeMs: before.mtimeMs } : undefined;
  } finally {
    await handle.close();
  }
}

const ACCESS_KEY = /^(ASIA|AKIA)[A-Z2-7]{16}$/;
const SECRET = /^[A-Za-z0-9/+]{40}$/;
const TOKEN = /^[A-Za-z0-9/+=]{16,}$/;

/** The profile's three keys, or why they are not (yet) a whole set. */
export function parseProfile(
  text: string,
  profile: string,
): (AwsCredentials & { sessionToken: string }) | string {
  if (!text.endsWith("\n")) return "the file does not end with a newline (a write in progress)";
  const values = new Map<string, string>();
  let inProfile = false;
  for (const line of text.split("\n")) {
    const header = /^\s*\[([^\]]*)\]\s*$/.exec(line);
    if (header) {
      inProfile = header[1]!.trim() === profile;
      continue;
    }
    const pair = /^\s*([A-Za-z_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (inProfile && pair) values.set(pair[1]!.toLowerCase(), pair[2]!);
  }
  const accessKeyId = values.get("aws_access_key_id") ?? "";
  const secretAccessKey = values.get("aws_secret_access_key") ?? "";
  const sessionToken = values.get("aws_session_token") ?? "";
  if (!ACCESS_KEY.test(accessKeyId)) return `profile [${profile}] has no well-formed aws_access_key_id`;
  if (!SECRET.test(secretAccessKey)) return `profile [${profile}] has no well-formed aws_secret_access_key`;
  if (!TOKEN.test(sessionToken)) return `profile [${profile}] has no well-formed aws_session_token`;
  return { accessKeyId, secretAccessKey, sessionToken };
}

async function readConsistent(
  files: NodeFiles,
): Promise<{ credentials: AwsCredentials & { sessionToken: string }; mtimeMs: number }> {
  let why = "";
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) await sleep(RETRY_MS);
    const first = await stableRead(files.credentials);
    const second = first && (await stableRead(files.credentials));
    if (!first || !second || first.text !== second.text) {
      why = "the agent was rewriting it";
      continue;
    }
    const parsed = parseProfile(first.text, files.profile);
    if (typeof parsed === "string") {
      why = parsed;
      continue;
    }
    return { credentials: parsed, mtimeMs: first.mtimeMs };
  }
  throw new NodeCredentialsError("torn", `cannot read whole credentials from ${files.credentials}: ${why}`, {
    hint: "the agent writes it about every 30 minutes; if this persists, check `tobira node status` and the agent's log",
  });
}

interface IdentityTimes {
  expiresAt: number;
  retrievedAt: number;
}

async function identityTimes(files: NodeFiles): Promise<IdentityTimes | undefined> {
  try {
    const config = JSON.parse(await readFile(files.identityConfig, "utf8")) as {
      CredentialsExpiresAt?: string;
      CredentialsRetrievedAt?: string;
    };
    const expiresAt = Date.parse(config.CredentialsExpiresAt ?? "");
    const retrievedAt = Date.parse(config.CredentialsRetrievedAt ?? "");
    return Number.isNaN(expiresAt) || Number.isNaN(retrievedAt) ? undefined : { expiresAt, retrievedAt };
  } catch {
    return undefined;
  }
}

function missingFile(files: NodeFiles, error: unknown): never {
  const code = (error as NodeJS.ErrnoException).code;
  throw new NodeCredentialsError(
    "missing",
    code === "ENOENT"
      ? `the agent's credentials file ${files.credentials} does not exist`
      : `cannot read the agent's credentials file ${files.credentials}: ${code ?? (error as Error).message}`,
    {
      hint:
        code === "ENOENT"
          ? "is the agent registered and running? (pass --credentials-file if its unit sets AWS_SHARED_CREDENTIALS_FILE)"
          : "run `tobira node serve` as root or as the user the agent writes the file for",
    },
  );
}

/** Whether credentials are still worth handing out (more than the margin before their expiry). */
export function stillValid(credentials: NodeCredentials, now: number = Date.now()): boolean {
  return Date.parse(credentials.expiration) - now > EXPIRY_MARGIN_MS;
}

/** The agent's current credentials, whole and unexpired, or a NodeCredentialsError saying why not. */
export async function readNodeCredentials(
  files: NodeFiles,
  now: number = Date.now(),
): Promise<NodeCredentials> {
  let read: Awaited<ReturnType<typeof readConsistent>>;
  try {
    read = await readConsistent(files);
  } catch (error) {
    if (error instanceof NodeCredentialsError) throw error;
    missingFile(files, error);
  }
  const times = await identityTimes(files);
  // identity_config.json is written just after the credentials: its expiry is theirs (or an older, earlier
  // one while the agent is between the two writes). Never later than a token's lifetime after the write.
  const cap = read.mtimeMs + MAX_TOKEN_LIFETIME_MS;
  const expiresAt = Math.min(times?.expiresAt ?? cap, cap);
  if (expiresAt - now <= EXPIRY_MARGIN_MS) {
    throw new NodeCredentialsError(
      "expired",
      `the credentials in ${files.credentials} expired at ${new Date(expiresAt).toISOString()} (or expire within a minute)`,
      {
        hint: "the agent has stopped refreshing them: see `tobira node status` (hibernation?) and the agent's log",
      },
    );
  }
  return {
    ...read.credentials,
    expiration: new Date(expiresAt).toISOString(),
    retrievedAt: new Date(times?.retrievedAt ?? read.mtimeMs).toISOString(),
  };
}
