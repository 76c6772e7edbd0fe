// Answers a profile from the cache alone — no config parsing, no vault, no SDK — or says "miss".
//
// Reading ~/.aws/config costs more than the cache itself (the INI loader's modules take tens of ms to load),
// so each full resolution remembers its plan in the session cache under a key made of the profile, the
// options, the variables that change resolution, and the identity (path, size, mtime, inode) of both AWS
// files. Any edit of either file, or another AWS_REGION/AWS_ENDPOINT_URL, gives another key: a miss, and the
// full path runs. Only plans whose source is the vault's long-term keys or an IAM Identity Center login are
// remembered: `given` sources (environment, credential_process) must be asked every time.
//
// Synchronous (statSync, the synchronous cache reader): the credential-process fast path runs this and
// nothing else, and a few blocking reads of small files finish before a thread-pool round trip would.
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { configFilePaths } from "../config/file-paths.js";
import { sourceRecordKey, ssoSourceKey, stepCacheKeys } from "./cache-key.js";
import type { CredentialPlan } from "./plan.js";
import type { AwsCredentials, CacheEntry, SessionCacheStore } from "./ports.js";
import { REFRESH_MARGIN_MS } from "./refresh-margin.js";

const PLAN_MEMO_MS = 7 * 24 * 3600 * 1000;

/** What changes how a profile resolves, besides the files' contents. */
const RESOLUTION_VARIABLES = ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "HOME"] as const;

export interface PlanMemoInput {
  profile: string;
  durationSeconds?: number;
  region?: string;
  env: NodeJS.ProcessEnv;
}

/** The memo key: a hash of the profile, the options, the resolution variables and both files' identity. */
export function planMemoKey(input: PlanMemoInput): string {
  const paths = configFilePaths({ env: input.env });
  const identity = (path: string) => {
    try {
      const s = statSync(path, { bigint: true });
      return [path, String(s.size), String(s.mtimeNs), String(s.ino), String(s.dev)];
    } catch {
      return [path, "absent"];
    }
  };
  const parts = [
    "tobira-plan-v1",
    input.profile,
    String(input.durationSeconds ?? ""),
    input.region ?? "",
    ...RESOLUTION_VARIABLES.map((name) => `${name}=${input.env[name] ?? ""}`),
    ...identity(paths.configFile),
    ...identity(paths.credentialsFile),
  ];
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

export async function rememberPlan(
  cache: SessionCacheStore,
  memoKey: string,
  plan: CredentialPlan,
  now: () => number = Date.now,
): Promise<void> {
  if (plan.source.kind === "given") return;
  await cache.put(memoKey, {
    expiresAt: new Date(now() + PLAN_MEMO_MS).toISOString(),
    meta: { kind: "plan", profile: plan.profile, plan: JSON.stringify(plan) },
  });
}

export interface CacheHit {
  plan: CredentialPlan;
  credentials: AwsCredentials;
}

/** What a hit reads: entries by cache key, synchronously (session-cache-reader.ts). */
export interface SyncCacheReader {
  get(cacheKey: string): CacheEntry | undefined;
}

/** The remembered plan's final credentials when they are cached and not within five minutes of expiry. */
export function answerFromCache(
  cache: SyncCacheReader,
  memoKey: string,
  now: () => number = Date.now,
): CacheHit | undefined {
  const memo = cache.get(memoKey);
  if (memo?.meta.kind !== "plan" || memo.meta.plan === undefined || Date.parse(memo.expiresAt) <= now()) {
    return undefined;
  }
  const plan = JSON.parse(memo.meta.plan) as CredentialPlan;
  if (plan.source.kind === "given" || plan.steps.length === 0) return undefined;
  const accessKeyId = ssoSourceKey(plan) ?? recordedKeyId(cache, plan.source.profile, now);
  if (accessKeyId === undefined) return undefined;
  const entry = cache.get(stepCacheKeys(plan, accessKeyId)[plan.steps.length - 1]!);
  if (!entry?.credentials || Date.parse(entry.expiresAt) - now() <= REFRESH_MARGIN_MS) return undefined;
  return { plan, credentials: entry.credentials };
}

/** The access key id the source record remembers for a long-term profile, while the record is current. */
function recordedKeyId(cache: SyncCacheReader, profile: string, now: () => number): string | undefined {
  const record = cache.get(sourceRecordKey(profile));
  const accessKeyId = record?.meta.accessKeyId;
  if (!record || accessKeyId === undefined || Date.parse(record.expiresAt) <= now()) return undefined;
  return accessKeyId;
}
