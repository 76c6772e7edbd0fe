// The IAM Identity Center token cache, in the AWS CLI v2's own format and place, so that the AWS CLI, the AWS
// SDKs and tobira share one login: `~/.aws/sso/cache/<sha1>.json`, the SHA-1 (hex) of the sso-session's name,
// or of the start URL for a legacy `sso_start_url` profile. The file holds `startUrl`, `region`,
// `accessToken`, `expiresAt` (ISO-8601, UTC, no fraction, as the CLI writes it) and, where there is one,
// `refreshToken` with the client registration it needs (`clientId`, `clientSecret`, `registrationExpiresAt`).
// Written 0600, atomically, in a 0700 folder. A file of another user, or one that is not JSON with those
// fields, is refused with a clear error rather than used.
import { createHash } from "node:crypto";
import { mkdir, readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { TobiraError } from "../errors.js";
import { writeFileAtomically } from "../files/atomic-write.js";

export interface SsoCachedToken {
  startUrl: string;
  region: string;
  accessToken: string;
  /** ISO-8601 */
  expiresAt: string;
  refreshToken?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  registrationExpiresAt?: string | undefined;
}

/** What names the cache file: the sso-session's name, else (legacy profiles) the start URL. */
export interface SsoTokenKey {
  sessionName?: string | undefined;
  startUrl: string;
}

export function ssoCacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.HOME || homedir(), ".aws", "sso", "cache");
}

export function ssoCachePath(key: SsoTokenKey, env: NodeJS.ProcessEnv = process.env): string {
  const id = key.sessionName ?? key.startUrl;
  return join(ssoCacheFolder(env), `${createHash("sha1").update(id).digest("hex")}.json`);
}

/** How to get a good file back, said by every refusal. */
export function loginHint(key: SsoTokenKey): string {
  return key.sessionName !== undefined
    ? `run \`tobira sso login --sso-session ${key.sessionName}\``
    : "run `tobira sso login --profile PROFILE` for a profile with this sso_start_url";
}

export class SsoCacheFileError extends TobiraError {
  override name = "SsoCacheFileError";
}

function fieldsOf(parsed: unknown): SsoCachedToken | undefined {
  const v = parsed as Partial<Record<keyof SsoCachedToken, unknown>> | null;
  if (v === null || typeof v !== "object") return undefined;
  for (const key of ["startUrl", "region", "accessToken", "expiresAt"] as const) {
    if (typeof v[key] !== "string" || v[key] === "") return undefined;
  }
  if (Number.isNaN(Date.parse(v.expiresAt as string))) return undefined;
  const optional = (key: keyof SsoCachedToken) =>
    typeof v[key] === "string" ? (v[key] as string) : undefined;
  return {
    startUrl: v.startUrl as string,
    region: v.region as string,
    accessToken: v.accessToken as string,
    expiresAt: v.expiresAt as string,
    refreshToken: optional("refreshToken"),
    clientId: optional("clientId"),
    clientSecret: optional("clientSecret"),
    registrationExpiresAt: optional("registrationExpiresAt"),
  };
}

/** The cached token, or undefined when there is none; another user's or a corrupt file is an error. */
export async function readSsoToken(
  key: SsoTokenKey,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SsoCachedToken | undefined> {
  const path = ssoCachePath(key, env);
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (!info) return undefined;
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw new SsoCacheFileError(
      `the IAM Identity Center token cache ${path} belongs to another user (uid ${info.uid})`,
      {
        hint: `tobira does not use a token another user could have written: remove the file, then ${loginHint(key)}`,
      },
    );
  }
  let token: SsoCachedToken | undefined;
  try {
    token = fieldsOf(JSON.parse(await readFile(path, "utf8")));
  } catch {
    token = undefined;
  }
  if (!token) {
    throw new SsoCacheFileError(
      `the IAM Identity Center token cache ${path} is corrupt (not the AWS CLI's JSON)`,
      {
        hint: `${loginHint(key)}; it writes the file anew`,
      },
    );
  }
  return token;
}

/** `2026-12-03T15:04:05Z`: the AWS CLI's form (UTC, whole seconds). */
export function cacheTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export async function writeSsoToken(
  key: SsoTokenKey,
  token: SsoCachedToken,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const folder = ssoCacheFolder(env);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const path = ssoCachePath(key, env);
  const body: Record<string, string> = {};
  for (const [name, value] of Object.entries(token)) if (typeof value === "string") body[name] = value;
  await writeFileAtomically(path, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  return path;
}
