// The fast path of `tobira credential-process PROFILE` and of `tobira rolesanywhere credential-process` with
// flags: answer from the cache before commander, the config loader or anything else is loaded. Returns false
// (and prints nothing) for anything else.
//
// It is bundled on its own as one CommonJS file (dist/bundle/fast-path.cjs) that bin/tobira.js requires, so
// a hit costs node's start, node:crypto, three small synchronous reads and one write: no ES module loader,
// no fs/promises, no thread-pool round trip, no stream behind process.stdout.
import { writeSync } from "node:fs";
import { answerFromCache, planMemoKey } from "../../credentials/cache-hit.js";
import { defaultSessionCacheLocation, SessionCacheReader } from "../../credentials/session-cache-reader.js";
import { cachedCredentialsForWords } from "../../rolesanywhere/cached-answer.js";
import { credentialProcessJson } from "./version1-json.js";

/** `args` are the words after `credential-process`; only the plain `PROFILE` form is answered here. */
export function answerCredentialProcessFromCache(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const [profile, ...rest] = args;
  if (profile === undefined || rest.length > 0 || profile.startsWith("-")) return false;
  let json: string;
  try {
    const hit = answerFromCache(
      new SessionCacheReader(defaultSessionCacheLocation(env)),
      planMemoKey({ profile, env }),
    );
    if (!hit) return false;
    json = credentialProcessJson(hit.credentials);
  } catch {
    // Whatever went wrong, the full path will meet it again and explain it properly.
    return false;
  }
  writeStdout(json);
  return true;
}

/** `args` are the words after `rolesanywhere credential-process`; only identity flags are answered here. */
export function answerRolesAnywhereFromCache(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  let json: string;
  try {
    const credentials = cachedCredentialsForWords(args, env);
    if (!credentials) return false;
    json = credentialProcessJson(credentials);
  } catch {
    return false;
  }
  writeStdout(json);
  return true;
}

/** Which fast path `argv` (process.argv) is for, answered; false when it is not one or missed. */
export function answerFromCacheFast(argv: readonly string[]): boolean {
  if (argv[2] === "credential-process") return answerCredentialProcessFromCache(argv.slice(3));
  if (argv[2] === "rolesanywhere" && argv[3] === "credential-process")
    return answerRolesAnywhereFromCache(argv.slice(4));
  return false;
}

/**
 * Writes to fd 1 directly. A pipe our parent made is blocking, so one call writes it all; should stdout be
 * non-blocking and full (EAGAIN), the rest goes through process.stdout, which waits for it before exit.
 */
function writeStdout(text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
    process.stdout.write(bytes.subarray(written));
  }
}
