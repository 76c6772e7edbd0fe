// The sandbox's persistent state (issued sessions, consumed MFA steps, changed access keys) in state.json.
// Loaded at start and saved atomically after every change, so a restart keeps every credential and every
// consumed code.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PolicyDocument } from "../policy/types.js";
import type { AccessKey, IamUser } from "../world/model.js";
import { writeFileAtomic } from "./atomic-file.js";

export const STATE_FILE = "state.json";

/** Temporary credentials this sandbox issued and the facts the caller carries with them. */
export interface IssuedSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  kind: "session-token" | "assumed-role" | "federation-token";
  /** Account of the principal the session acts as. */
  account: string;
  issuedAt: string;
  expiration: string;
  /** The IAM user behind a GetSessionToken or GetFederationToken session. */
  userName?: string | undefined;
  /** For assumed-role sessions. */
  roleArn?: string;
  sessionName?: string;
  /** For federation-token sessions. */
  federatedName?: string | undefined;
  /** When MFA was verified for this session (inherited along role chains); absent = no MFA. */
  mfaAuthenticatedAt?: string | undefined;
  /** Principal tags of the session: role tags overridden by session tags (assumed roles), or passed tags. */
  tags: Record<string, string>;
  transitiveTagKeys: string[];
  sourceIdentity?: string | undefined;
  sessionPolicy?: PolicyDocument | undefined;
  /** True when the session came from AssumeRole called with an assumed-role session. */
  roleChain: boolean;
}

export interface SandboxStateData {
  version: 1;
  sessions: IssuedSession[];
  /** Per MFA serial, the TOTP steps already accepted (each code is good once). */
  consumedMfaSteps: Record<string, number[]>;
  /** Per user ARN, the user's whole key list once any of their keys changed (the world's keys otherwise). */
  accessKeys: Record<string, AccessKey[]>;
  /** Records services keep for themselves (EC2 instance states, SSM sessions, KMS key material), by service. */
  services?: Record<string, unknown>;
}

/** state.json exists but cannot be read as the sandbox's state. */
export class StateFileError extends Error {
  override readonly name = "StateFileError";
  readonly hint: string;
  constructor(path: string, detail: string) {
    super(`Cannot read the sandbox state ${path}: ${detail}`);
    this.hint = `Move ${path} away to start with fresh state (issued sessions and consumed MFA codes are then forgotten).`;
  }
}

/** Sessions are kept this long after expiry, so late callers get ExpiredToken rather than an unknown key. */
const EXPIRED_SESSION_RETENTION_MS = 24 * 3600 * 1000;
/** Consumed steps older than this many steps can never match again (the window is ±1 step). */
const MFA_STEP_RETENTION = 3;

function emptyState(): SandboxStateData {
  return { version: 1, sessions: [], consumedMfaSteps: {}, accessKeys: {} };
}

/** Reads state.json from a state folder; a missing file is an empty state. */
export function readStateFile(stateDir: string): SandboxStateData {
  const path = join(stateDir, STATE_FILE);
  if (!existsSync(path)) return emptyState();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new StateFileError(path, (error as Error).message);
  }
  const data = parsed as Partial<SandboxStateData> | null;
  if (
    data === null ||
    typeof data !== "object" ||
    data.version !== 1 ||
    !Array.isArray(data.sessions) ||
    typeof data.consumedMfaSteps !== "object" ||
    typeof data.accessKeys !== "object"
  ) {
    throw new StateFileError(path, "it is not a version 1 sandbox state");
  }
  return data as SandboxStateData;
}

/** The live state of a running sandbox; every mutation is saved before it returns. */
export class SandboxState {
  private constructor(
    private readonly path: string,
    private readonly data: SandboxStateData,
    private readonly clock: () => number,
  ) {}

  static load(stateDir: string, clock: () => number): SandboxState {
    const state = new SandboxState(join(stateDir, STATE_FILE), readStateFile(stateDir), clock);
    state.save();
    return state;
  }

  findSession(accessKeyId: string): IssuedSession | undefined {
    return this.data.sessions.find((s) => s.accessKeyId === accessKeyId);
  }

  addSession(session: IssuedSession): void {
    this.data.sessions.push(session);
    this.save();
  }

  isMfaStepConsumed(serial: string, step: number): boolean {
    return this.data.consumedMfaSteps[serial]?.includes(step) ?? false;
  }

  /** Marks a step used; returns false when it already was (the code is spent). */
  consumeMfaStep(serial: string, step: number): boolean {
    const steps = this.data.consumedMfaSteps[serial] ?? [];
    if (steps.includes(step)) return false;
    const newest = Math.max(step, ...steps);
    this.data.consumedMfaSteps[serial] = [...steps, step].filter((s) => s > newest - MFA_STEP_RETENTION);
    this.save();
    return true;
  }

  /** A user's access keys: the state's list once changed, otherwise the world's. */
  accessKeysOf(user: IamUser): AccessKey[] {
    return this.data.accessKeys[user.arn] ?? user.accessKeys;
  }

  setAccessKeys(user: IamUser, keys: AccessKey[]): void {
    this.data.accessKeys[user.arn] = keys;
    this.save();
  }

  /** A service's own record as it last stored it; undefined until it stores one. The service checks its shape. */
  serviceRecord(service: string): unknown {
    return this.data.services?.[service];
  }

  setServiceRecord(service: string, record: unknown): void {
    this.data.services ??= {};
    this.data.services[service] = record;
    this.save();
  }

  private save(): void {
    const now = this.clock();
    this.data.sessions = this.data.sessions.filter(
      (s) => Date.parse(s.expiration) + EXPIRED_SESSION_RETENTION_MS > now,
    );
    writeFileAtomic(this.path, `${JSON.stringify(this.data, null, 2)}\n`);
  }
}
