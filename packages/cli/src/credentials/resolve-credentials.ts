// Carries out a credential plan: each step is a cached provider (cache → lock → cache again → parent → STS → store).
//
// The hit path reads two small cache entries and returns: no vault, no prompt, no AWS SDK. On a miss, each
// step runs under a cross-process lock named by the step, so concurrent callers make one prompt and one STS
// call per step; the others wait and then find the entry. Locks are taken outer step first, then its parent,
// always in that direction along a chain, so no two processes can wait on each other.
import { sourceRecordKey, ssoSourceKey, stepCacheKeys, stepLockNames } from "./cache-key.js";
import type { SourceSpec } from "./chain-spec.js";
import { MissingLongTermKeysError } from "./errors.js";
import type { AssumeRoleStep, CredentialPlan, CredentialStep, SsoRoleStep } from "./plan.js";
import type {
  AwsCredentials,
  CacheEntry,
  CacheLock,
  LongTermKeyStore,
  MfaRunner,
  SessionCacheStore,
  TemporaryCredentials,
} from "./ports.js";
import { REFRESH_MARGIN_MS } from "./refresh-margin.js";
import type { CallerIdentity } from "./sts-calls.js";

export { REFRESH_MARGIN_MS };

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
  /** GetRoleCredentials with the sso-session's access token; by default `sso/role-credentials.ts`. */
  ssoRoleCredentials?: (step: SsoRoleStep) => Promise<TemporaryCredentials>;
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
  const source = plan.source;
  let given: AwsCredentials | undefined;
  if (source.kind === "given") {
    if (!deps.givenCredentials)
      throw new Error(`no provider for the credentials of profile '${source.profile}'`);
    given = await deps.givenCredentials(source);
    if (plan.steps.length === 0) return { credentials: given, fromCache: false, stsCalls: 0 };
  }
  const run = new PlanRun(plan, deps, given);
  await run.start();
  // The hit path: the last step's entry, found with the access key id the source record remembers.
  const hit = await run.cachedLastStep();
  if (hit) return { credentials: hit, fromCache: true, stsCalls: 0 };
  const credentials = await run.obtain(plan.steps.length - 1);
  return { credentials, fromCache: run.stsCalls === 0, stsCalls: run.stsCalls };
}

/** What one process learns of a source while it resolves: its access key id and the IAM user's name. */
interface SourceRecord {
  accessKeyId: string;
  callerName?: string;
}

/**
 * One resolution of a plan: the state the steps share (the source record, the long-term keys once opened, the
 * STS calls made) and one method per job — the source record, the source's credentials, the caller's name, a
 * step under its lock, a step's STS call.
 */
class PlanRun {
  stsCalls = 0;
  private record: SourceRecord | undefined;
  private sourceKeyId: string | undefined;
  private longTerm: AwsCredentials | undefined;
  private sts: StsCalls | undefined;
  private noted = false;
  private waited = false;
  private readonly now: () => number;
  private readonly recordKey: string;
  private readonly lockNames: string[];

  constructor(
    private readonly plan: CredentialPlan,
    private readonly deps: ResolveDependencies,
    private readonly given: AwsCredentials | undefined,
  ) {
    this.now = deps.now ?? Date.now;
    this.recordKey = sourceRecordKey(plan.source.profile);
    this.lockNames = stepLockNames(plan);
  }

  async start(): Promise<void> {
    this.record = await this.readRecord();
    this.sourceKeyId = ssoSourceKey(this.plan) ?? this.given?.accessKeyId ?? this.record?.accessKeyId;
  }

  /** The last step's credentials when the cache holds them fresh under the known source key. */
  async cachedLastStep(): Promise<TemporaryCredentials | undefined> {
    if (this.sourceKeyId === undefined) return undefined;
    const last = this.plan.steps.length - 1;
    const entry = await this.deps.cache.get(stepCacheKeys(this.plan, this.sourceKeyId)[last]!);
    return this.isFresh(entry) ? entry.credentials : undefined;
  }

  /** Step `i`'s credentials: from the cache, else from its parent's and one STS call, under the step's lock. */
  obtain(i: number): Promise<AwsCredentials> {
    return this.deps.lock.withLock(
      this.lockNames[i]!,
      () => this.sayWaiting(),
      () => this.obtainLocked(i),
    );
  }

  private async obtainLocked(i: number): Promise<AwsCredentials> {
    // Another process may have done the work while we waited.
    if (this.longTerm === undefined && this.given === undefined && this.plan.source.kind !== "sso") {
      this.record = await this.readRecord();
      this.sourceKeyId = this.record?.accessKeyId ?? this.sourceKeyId;
    }
    let checkedKey: string | undefined;
    if (this.sourceKeyId !== undefined) {
      checkedKey = stepCacheKeys(this.plan, this.sourceKeyId)[i]!;
      const entry = await this.deps.cache.get(checkedKey);
      if (this.isFresh(entry)) return entry.credentials;
    }
    // GetRoleCredentials starts from the sso-session's token, not from credentials.
    const parent =
      i > 0
        ? await this.obtain(i - 1)
        : this.plan.source.kind === "sso"
          ? undefined
          : await this.openSource();
    const key = stepCacheKeys(this.plan, this.sourceKeyId!)[i]!;
    if (key !== checkedKey) {
      const entry = await this.deps.cache.get(key);
      if (this.isFresh(entry)) return entry.credentials;
    }
    const step = this.plan.steps[i]!;
    const credentials = await this.callStep(step, parent);
    await this.deps.cache.put(key, {
      expiresAt: credentials.expiration,
      credentials,
      meta: { ...describeStep(step), sourceProfile: this.plan.source.profile, forProfile: this.plan.profile },
    });
    return credentials;
  }

  private sayWaiting(): void {
    if (this.waited) return;
    this.waited = true;
    this.deps.notice(
      `waiting for another tobira process to finish getting credentials for '${this.plan.profile}'…`,
    );
  }

  private isFresh(
    entry: CacheEntry | undefined,
  ): entry is CacheEntry & { credentials: TemporaryCredentials } {
    return entry?.credentials !== undefined && Date.parse(entry.expiresAt) - this.now() > REFRESH_MARGIN_MS;
  }

  /** The STS calls, loaded on first use; the plan's notes are said then, once. */
  private async loadSts(): Promise<StsCalls> {
    this.sts ??= this.deps.sts ? await this.deps.sts() : await import("./sts-calls.js");
    if (!this.noted) {
      this.noted = true;
      for (const note of this.plan.notes) this.deps.notice(note);
    }
    return this.sts;
  }

  private async readRecord(): Promise<SourceRecord | undefined> {
    const entry = await this.deps.cache.get(this.recordKey);
    const accessKeyId = entry?.meta.accessKeyId;
    if (!entry || accessKeyId === undefined || Date.parse(entry.expiresAt) <= this.now()) return undefined;
    if (this.given !== undefined && this.given.accessKeyId !== accessKeyId) return undefined;
    return entry.meta.callerName === undefined
      ? { accessKeyId }
      : { accessKeyId, callerName: entry.meta.callerName };
  }

  private async writeRecord(callerName?: string, callerArn?: string): Promise<void> {
    const accessKeyId = this.sourceKeyId;
    if (accessKeyId === undefined) return;
    const meta: Record<string, string> = { kind: "source", profile: this.plan.source.profile, accessKeyId };
    if (callerName !== undefined) meta.callerName = callerName;
    if (callerArn !== undefined) meta.callerArn = callerArn;
    await this.deps.cache.put(this.recordKey, {
      expiresAt: new Date(this.now() + SOURCE_RECORD_MS).toISOString(),
      meta,
    });
    this.record = callerName === undefined ? { accessKeyId } : { accessKeyId, callerName };
  }

  /** The first credentials of the chain: the given ones, or the long-term keys from the vault (opened once). */
  private async openSource(): Promise<AwsCredentials> {
    if (this.given !== undefined) return this.given;
    if (this.longTerm !== undefined) return this.longTerm;
    const store = await this.deps.longTermKeys();
    const keys = await store.get(this.plan.source.profile);
    if (!keys) throw new MissingLongTermKeysError(this.plan.source.profile);
    this.longTerm = keys;
    if (this.sourceKeyId !== keys.accessKeyId || this.record === undefined) {
      // A new or rotated key: what was remembered about the old one no longer holds.
      this.sourceKeyId = keys.accessKeyId;
      await this.writeRecord();
    }
    return keys;
  }

  /** The IAM user's name (the last segment of the caller's ARN), found with credentials already in hand. */
  private async callerName(inHand: AwsCredentials, step: AssumeRoleStep): Promise<string> {
    const record = this.record;
    if (record?.callerName !== undefined && record.accessKeyId === this.sourceKeyId) return record.callerName;
    const identity = await (await this.loadSts()).getCallerIdentity(
      this.longTerm ?? inHand,
      step.region,
      step.endpointUrl,
      this.plan.source.profile,
    );
    this.stsCalls++;
    const name = sessionNameFromArn(identity.arn);
    await this.writeRecord(name, identity.arn);
    return name;
  }

  private async callStep(
    step: CredentialStep,
    parentOrNone: AwsCredentials | undefined,
  ): Promise<TemporaryCredentials> {
    if (step.kind === "sso-role") {
      const fetch =
        this.deps.ssoRoleCredentials ?? (await import("../sso/role-credentials.js")).ssoRoleCredentials;
      return fetch(step);
    }
    const parent = parentOrNone as AwsCredentials;
    const calls = await this.loadSts();
    if (step.kind === "session-token") {
      const result = await this.withOptionalCode(step.serial, (code) =>
        calls.getSessionToken(step, parent, code),
      );
      this.stsCalls++;
      return result;
    }
    const sessionName = step.sessionName ?? (await this.callerName(parent, step));
    const result = await this.withOptionalCode(step.serial, (code) =>
      calls.assumeRole(step, parent, sessionName, code),
    );
    this.stsCalls++;
    return result;
  }

  private async withOptionalCode<T>(
    serial: string | undefined,
    call: (code?: string) => Promise<T>,
  ): Promise<T> {
    if (serial === undefined) return call(undefined);
    const runner = await this.deps.mfa();
    return runner({ profile: this.plan.profile, serial }, (code) => call(code));
  }
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
  if (step.kind === "sso-role") {
    meta.roleName = step.roleName;
    meta.accountId = step.accountId;
    meta.startUrl = step.startUrl;
    // Which login the credentials came from, so `tobira sso logout --sso-session NAME` finds them ("" = legacy).
    meta.ssoSession = step.sessionName ?? "";
  } else if (step.serial !== undefined) meta.mfaSerial = step.serial;
  if (step.kind === "assume-role") meta.roleArn = step.roleArn;
  if (step.endpointUrl !== undefined) meta.endpointUrl = step.endpointUrl;
  return meta;
}
