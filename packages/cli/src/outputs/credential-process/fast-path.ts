// The fast path of `tobira credential-process PROFILE` for bin.ts: answer from the cache before commander,
// the config loader or anything else is loaded. Returns false (and prints nothing) for anything else.
import { answerFromCache, planMemoKey } from "../../credentials/cache-hit.js";
import { defaultSessionCacheLocation, FileSessionCache } from "../../credentials/session-cache-file.js";
import { credentialProcessJson } from "./version1-json.js";

/** `args` are the words after `credential-process`; only the plain `PROFILE` form is answered here. */
export async function answerCredentialProcessFromCache(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const [profile, ...rest] = args;
  if (profile === undefined || rest.length > 0 || profile.startsWith("-")) return false;
  try {
    const cache = new FileSessionCache(defaultSessionCacheLocation(env));
    const hit = await answerFromCache(cache, await planMemoKey({ profile, env }));
    if (!hit) return false;
    process.stdout.write(credentialProcessJson(hit.credentials));
    return true;
  } catch {
    // Whatever went wrong, the full path will meet it again and explain it properly.
    return false;
  }
}
