// The credentials of a named profile, as every output (exec, export, credential-process, serve) gets them:
// config → plan → cached providers, with the vault, the MFA drivers and the AWS SDK loaded only on a miss.
import { answerFromCache, planMemoKey, rememberPlan } from "./cache-hit.js";
import { FileCacheLock } from "./cache-lock-file.js";
import type { SourceSpec } from "./chain-spec.js";
import { chainSpecFromProfile } from "./from-resolved-profile.js";
import { mfaRunnerFor } from "./mfa-runner.js";
import { type CredentialPlan, planCredentials } from "./plan.js";
import type { AwsCredentials } from "./ports.js";
import { resolveCredentials } from "./resolve-credentials.js";
import { FileSessionCache } from "./session-cache-file.js";
import { defaultSessionCacheLocation, SessionCacheReader } from "./session-cache-reader.js";

export interface ProfileCredentialOptions {
  /** --mfa-code: answers the first code asked for. */
  mfaCode?: string;
  /** --mfa-prompt: terminal | ykman | command. */
  mfaPrompt?: string;
  /** --duration, in seconds. */
  durationSeconds?: number;
  /** --region. */
  region?: string;
  env?: NodeJS.ProcessEnv;
  /** Where one-line notices go; stderr by default (never stdout: credential-process owns it). */
  notice?: (line: string) => void;
  /**
   * The clock cached expiries are judged by; default Date.now. Long-lived sessions pass the service's clock
   * (learned from its Date headers), since credentials expire by the clock of the STS that issued them.
   */
  now?: () => number;
}

export interface ProfileCredentials {
  profile: string;
  credentials: AwsCredentials;
  region?: string;
  /** The effective endpoint (AWS_ENDPOINT_URL or the profile's endpoint_url), when there is one. */
  endpointUrl?: string;
  plan: CredentialPlan;
  fromCache: boolean;
  stsCalls: number;
}

export async function credentialsForProfile(
  profile: string,
  options: ProfileCredentialOptions = {},
): Promise<ProfileCredentials> {
  const env = options.env ?? process.env;
  const notice = options.notice ?? ((line: string) => process.stderr.write(`tobira: ${line}\n`));
  const location = defaultSessionCacheLocation(env);
  const memoKey = planMemoKey({
    profile,
    env,
    ...(options.durationSeconds === undefined ? {} : { durationSeconds: options.durationSeconds }),
    ...(options.region === undefined ? {} : { region: options.region }),
  });
  const hit = answerFromCache(new SessionCacheReader(location), memoKey, options.now);
  if (hit) return answer(profile, hit.plan, { credentials: hit.credentials, fromCache: true, stsCalls: 0 });

  // A miss (or a changed config): read the files, plan, and run the cached providers.
  const cache = new FileSessionCache(location);
  const { loadConfigFiles, resolveProfile } = await import("../config/index.js");
  const files = await loadConfigFiles({ env });
  // Without `storedKeys`: listing the vault would open it on every call. A profile with nothing else in the
  // files is taken as an IAM user whose keys the vault holds, which is what storedKeys would say anyway.
  const resolved = resolveProfile(files, profile, { env });
  const spec = chainSpecFromProfile(resolved);
  // A given source is fetched first (it is never cached): whether it hands over a long-term key decides the plan.
  const given = spec.source.kind === "given" ? await fetchGiven(spec.source, env) : undefined;
  if (given !== undefined && spec.source.kind === "given") {
    spec.source.credentials = given.sessionToken === undefined ? "long-term" : "temporary";
  }
  const plan = planCredentials(spec, {
    ...(options.durationSeconds === undefined ? {} : { durationSeconds: options.durationSeconds }),
    ...(options.region === undefined ? {} : { region: options.region }),
  });
  const result = await resolveCredentials(plan, {
    cache,
    lock: new FileCacheLock((name) => cache.lockPath(name)),
    longTermKeys: async () => {
      const { openLongTermKeyStore } = await import("./vault-key-store.js");
      const fileKeys = resolved.source.kind === "static" ? resolved.source.fromFile : undefined;
      return openLongTermKeyStore(env, fileKeys, notice);
    },
    mfa: () => mfaRunnerFor(files, resolved, options, env),
    givenCredentials: async (source) => given ?? fetchGiven(source, env),
    notice,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  await rememberPlan(cache, memoKey, plan);
  return answer(profile, plan, result);
}

async function fetchGiven(
  source: Extract<SourceSpec, { kind: "given" }>,
  env: NodeJS.ProcessEnv,
): Promise<AwsCredentials> {
  const { fetchGivenCredentials } = await import("./given-credentials.js");
  return fetchGivenCredentials(source.profile, source.origin, env);
}

function answer(
  profile: string,
  plan: CredentialPlan,
  result: { credentials: AwsCredentials; fromCache: boolean; stsCalls: number },
): ProfileCredentials {
  return {
    profile,
    credentials: result.credentials,
    ...(plan.region === undefined ? {} : { region: plan.region }),
    ...(plan.endpointUrl === undefined ? {} : { endpointUrl: plan.endpointUrl }),
    plan,
    fromCache: result.fromCache,
    stsCalls: result.stsCalls,
  };
}
