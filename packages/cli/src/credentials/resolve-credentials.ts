// Carries out a credential plan: each step is a cached provider (cache → lock → cache again → parent → STS → store).
//
// The hit path reads two small cache entries and returns: no vault, no prompt, no AWS SDK. On a miss, each
// step runs under a cross-process lock named by the step, so concurrent callers make one prompt and one STS
// call per step; the others wait and then find the entry. Locks are taken outer step first, then its parent,
// always in that direction along a chain, so no two processes can wait on each other.
import { sourceRecordKey, stepCacheKeys, stepLockNames } from "./cache-key.js";
import type { SourceSpec } from "./chain-spec.js";
import { MissingLongTermKeysError } from "./errors.js";
import type { AssumeRoleStep, CredentialPlan, CredentialStep } from "./plan.js";
import type {
  AwsCredentials,
  CacheEntry,
  CacheLock,
  LongTermKeyStore,
  MfaRunner,
  SessionCacheStore,
  TemporaryCredentials,
} from "./ports.js";
import type { CallerIdentity } from "./sts-calls.js";

/** Credentials within this margin of expiry are refreshed, as the SDKs and aws-vault do. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** How long the source record (access key id → IAM user name) is trusted before it is looked up again. */
const SOURCE_RECORD_MS = 7 * 24 * 3600 * 1000;

/** The STS calls, injectable for tests; by default `sts-calls.ts`, imported on first use. */
export interface StsCalls {
  getSessionToken(
    step: Extract<CredentialStep, { kind: "session-token" }>,
    longTerm: AwsCredentials,
    code: string | undefined,
  ): Promise<TemporaryCredentials>;
  assumeRole(
    step: AssumeRoleStep,
    caller: AwsCredentials,
    sessionName: string,
    code: string | undefined,
  ): Promise<TemporaryCredentials>;
  getCallerIdentity(
    credentials: AwsCredentials,
    region: string,
    endpointUrl: string | undefined,
    profile: string,
  ): Promise<CallerIdentity>;
}

export interface ResolveDependencies {
  cache: SessionCacheStore;
  lock: CacheLock;
  /** Opened only when a step must call STS with the long-term keys (it may prompt for a passphrase). */
  longTermKeys: () => Promise<LongTermKeyStore>;
  /** Created only when a step needs a code. */
  mfa: () => Promise<MfaRunner>;
  /** Credentials of a `given` source (environment, credential_process, …). */
  givenCredentials?: (source: Extract<SourceSpec, { kind: "given" }>) => Promise<AwsCredentials>;
  sts?: () => Promise<StsCalls>;
  /** One line for the user on stderr (notes, "waiting for another process"). */
  notice: (line: string) => void;
  now?: () => number;
}

export interface ResolvedCredentials {
  credentials: AwsCredentials;
  /** True when nothing was called: the answer came from the cache. */
  fromCache: boolean;
  /** STS calls this process made (0 on a hit). */
  stsCalls: number;
}

export async function resolveCredentials(
  plan: CredentialPlan,
  deps: ResolveDependencies,
): Promise<ResolvedCredentials> {
  const now = deps.now ?? Date.now;
  const isFresh = (
    entry: CacheEntry | undefined,
  ): entry is CacheEntry & { credentials: TemporaryCredentials } =>
    entry?.credentials !== undefined && Date.parse(entry.expiresAt) - now() > REFRESH_MARGIN_MS;
  const source = plan.source;
  const recordKey = sourceRecordKey(source.profile);

  let given: AwsCredentials | undefined;
  if (source.kind === "given") {
    if (!deps.givenCredentials)
      throw new Error(`no provider for the credentials of profile '${source.profile}'`);
    given = await deps.givenCredentials(source);
    if (plan.steps.length === 0) return { credentials: given, fromCache: false, stsCalls: 0 };
  }

  // What this process knows of the source: its access key id (names the cache keys) and the IAM user's name.
  let record = await readRecord();
  let sourceKeyId = given?.accessKeyId ?? record?.accessKeyId;
  let longTerm: AwsCredentials | undefined;

  // The hit path.
  const last = plan.steps.length - 1;
  if (sourceKeyId !== undefined) {
    const entry = await deps.cache.get(stepCacheKeys(plan, sourceKeyId)[last]!);
    if (isFresh(entry)) return { credentials: entry.credentials, fromCache: true, stsCalls: 0 };
  }

  const lockNames = stepLockNames(plan);
  let stsCalls = 0;
  let noted = false;
  let waited = false;
  let sts: StsCalls | undefined;
  const loadSts = async () => {
    sts ??= deps.sts ? await deps.sts() : await import("./sts-calls.js");
    if (!noted) {
      noted = true;
      for (const note of plan.notes) deps.notice(note);
    }
    return sts;
  };

  async function readRecord(): Promise<{ accessKeyId: string; callerName?: string } | undefined> {
    const entry = await deps.cache.get(recordKey);
    const accessKeyId = entry?.meta.accessKeyId;
    if (!entry || accessKeyId === undefined || Date.parse(entry.expiresAt) <= now()) return undefined;
    if (given !== undefined && given.accessKeyId !== accessKeyId) return undefined;
    return entry.meta.callerName === undefined
      ? { accessKeyId }
      : { accessKeyId, callerName: entry.meta.callerName };
  }

  async function writeRecord(callerName?: string, callerArn?: string): Promise<void> {
    if (sourceKeyId === undefined) return;
    const meta: Record<string, string> = {
      kind: "source",
      profile: source.profile,
      accessKeyId: sourceKeyId,
    };
    if (callerName !== undefined) meta.callerName = callerName;
    if (callerArn !== undefined) meta.callerArn = callerArn;
    await deps.cache.put(recordKey, { expiresAt: new Date(now() + SOURCE_RECORD_MS).toISOString(), meta });
    record =
      callerName === undefined ? { accessKeyId: sourceKeyId } : { accessKeyId: sourceKeyId, callerName };
  }

  async function openSource(): Promise<AwsCredentials> {
    if (given !== undefined) return given;
    if (longTerm !== undefined) return longTerm;
    const store = await deps.longTermKeys();
    const keys = await store.get(source.profile);
    if (!keys) throw new MissingLongTermKeysError(source.profile);
    longTerm = keys;
    if (sourceKeyId !== keys.accessKeyId || record === undefined) {
      // A new or rotated key: what was remembered about the old one no longer holds.
      sourceKeyId = keys.accessKeyId;
      await writeRecord();
    }
    return keys;
  }

  /** The IAM user's name (the last segment of the caller's ARN), found with credentials already in hand. */
  async function callerName(inHand: AwsCredentials, step: AssumeRoleStep): Promise<string> {
    if (record?.callerName !== undefined && record.accessKeyId === sourceKeyId) return record.callerName;
    const identity = await (await loadSts()).getCallerIdentity(
      longTerm ?? inHand,
      step.region,
      step.endpointUrl,
      source.profile,
    );
    stsCalls++;
    const name = sessionNameFromArn(identity.arn);
    await writeRecord(name, identity.arn);
    return name;
  }

  async function obtain(i: number): Promise<AwsCredentials> {
    const step = plan.steps[i]!;
    return deps.lock.withLock(
      lockNames[i]!,
      () => {
        if (!waited) {
          waited = true;
          deps.notice(
            `waiting for another tobira process to finish getting credentials for '${plan.profile}'…`,
          );
        }
      },
      async () => {
        // Another process may have done the work while we waited.
        if (longTerm === undefined && given === undefined) {
          record = await readRecord();
          sourceKeyId = record?.accessKeyId ?? sourceKeyId;
        }
        let checkedKey: string | undefined;
        if (sourceKeyId !== undefined) {
          checkedKey = stepCacheKeys(plan, sourceKeyId)[i]!;
          const entry = await deps.cache.get(checkedKey);
          if (isFresh(entry)) return entry.credentials;
        }
        const parent = i === 0 ? await openSource() : await obtain(i - 1);
        const key = stepCacheKeys(plan, sourceKeyId!)[i]!;
        if (key !== checkedKey) {
          const entry = await deps.cache.get(key);
          if (isFresh(entry)) return entry.credentials;
        }
        const credentials = await callStep(step, parent);
        await deps.cache.put(key, {
          expiresAt: credentials.expiration,
          credentials,
          meta: { ...describeStep(step), sourceProfile: source.profile, forProfile: plan.profile },
        });
        return credentials;
      },
    );
  }

  async function callStep(step: CredentialStep, parent: AwsCredentials): Promise<TemporaryCredentials> {
    const calls = await loadSts();
    if (step.kind === "session-token") {
      const result = await withOptionalCode(step.serial, (code) => calls.getSessionToken(step, parent, code));
      stsCalls++;
      return result;
    }
    const sessionName = step.sessionName ?? (await callerName(parent, step));
    const result = await withOptionalCode(step.serial, (code) =>
      calls.assumeRole(step, parent, sessionName, code),
    );
    stsCalls++;
    return result;
  }

  async function withOptionalCode<T>(
    serial: string | undefined,
    call: (code?: string) => Promise<T>,
  ): Promise<T> {
    if (serial === undefined) return call(undefined);
    const runner = await deps.mfa();
    return runner({ profile: plan.profile, serial }, (code) => call(code));
  }

  const credentials = await obtain(last);
  return { credentials, fromCache: stsCalls === 0, stsCalls };
}

/** `arn:aws:iam::1:user/path/alice` → `alice`; `arn:aws:sts::1:assumed-role/R/alice` → `alice`; made a valid RoleSessionName. */
export function sessionNameFromArn(arn: string): string {
  const slash = arn.lastIndexOf("/");
  const lastSegment = slash >= 0 ? arn.slice(slash + 1) : arn.slice(arn.lastIndexOf(":") + 1);
  let name = lastSegment.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
  if (name.length < 2) name = `${name}--`.slice(0, 2);
  return name;
}

/** Non-secret description of a cached step, for `tobira list --sessions`. */
function describeStep(step: CredentialStep): Record<string, string> {
  const meta: Record<string, string> = { kind: step.kind, profile: step.profile };
  if (step.kind === "assume-role") meta.roleArn = step.roleArn;
  if (step.serial !== undefined) meta.mfaSerial = step.serial;
  if (step.endpointUrl !== undefined) meta.endpointUrl = step.endpointUrl;
  return meta;
}
