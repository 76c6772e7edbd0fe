// One pass of the agent's credential refresher (facts A.3, A.5): check the machine against the saved hardware
// hash (a mismatch makes a new fingerprint, overwriting the old, as the agent does), ask for a role token with
// the fingerprint, and on success rewrite the shared credentials file and identity_config.json. Returns when
// the next pass is due: at half the token's life, or after the agent's long sleep when it hibernates.

import { createPrivateKey, randomInt, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { AgentCallError, requestRoleToken } from "./agent-client.js";
import {
  type AgentConfigFile,
  type AgentPaths,
  type AgentStatusFile,
  type FingerprintFile,
  type IdentityConfigFile,
  type RegistrationKeyFile,
  readAgentFile,
  writeAgentFile,
} from "./agent-folder.js";
import { hardwareHash, type SimulatedHardware, similarity } from "./hardware.js";
import { keyRotationDue, rotateKeyPair } from "./key-rotation.js";
import { writeSharedCredentials } from "./shared-credentials.js";

export const SHARE_PROFILE = "default";
/** MachineFingerprintDoesNotMatch or AccessDenied: the agent sleeps 25 minutes plus up to 5 of jitter. */
const LONG_SLEEP_MS = 25 * 60_000;
const LONG_SLEEP_JITTER_MS = 5 * 60_000;

export interface RefreshOutcome {
  /** Milliseconds (agent time) until the next pass. */
  nextInMs: number;
  status: AgentStatusFile;
  event: string;
}

/** Checks the machine; on a mismatch stores a new fingerprint and hash (the old UUID is gone for good). */
async function currentFingerprint(paths: AgentPaths): Promise<{ print: FingerprintFile; event?: string }> {
  const print = readAgentFile<FingerprintFile>(paths.instanceFingerprint, "fingerprint");
  const hardware = JSON.parse(readFileSync(paths.hardware, "utf8")) as SimulatedHardware;
  const current = hardwareHash(hardware);
  const verdict = similarity(print.hardwareHash, current, print.similarityThreshold);
  if (verdict.same) return { print };
  const fresh: FingerprintFile = { ...print, fingerprint: randomUUID(), hardwareHash: current };
  await writeAgentFile(paths.instanceFingerprint, fresh);
  return {
    print: fresh,
    event: `hardware changed (${verdict.changed.join(", ")}; similarity ${verdict.percent}% < ${verdict.threshold}%, rule ${verdict.rule}): new fingerprint`,
  };
}

async function hibernate(paths: AgentPaths, reason: string, now: Date): Promise<RefreshOutcome> {
  const previous = readAgentFile<AgentStatusFile>(paths.status, "status");
  const status: AgentStatusFile = {
    ...previous,
    state: "hibernating",
    since: previous.state === "hibernating" ? previous.since : now.toISOString(),
    reason,
  };
  await writeAgentFile(paths.status, status);
  return {
    nextInMs: LONG_SLEEP_MS + randomInt(LONG_SLEEP_JITTER_MS),
    status,
    event: `hibernating: ${reason}`,
  };
}

export interface RefreshOptions {
  /** How much faster than real time the agent's schedule runs (key age counts in agent time). */
  speed?: number | undefined;
}

/** After a refresh: the key pair's rotation when it is due; a failure is reported, never fatal to the pass. */
async function rotateIfDue(
  paths: AgentPaths,
  config: AgentConfigFile,
  key: RegistrationKeyFile,
  fingerprint: string,
  updateKeyPair: boolean,
  speed: number,
): Promise<string | undefined> {
  const days = config.Profile?.KeyAutoRotateDays ?? 0;
  if (!keyRotationDue(key, days, updateKeyPair, Date.now(), speed)) return undefined;
  try {
    const target = { endpoint: config.Ssm.Endpoint, region: key.region };
    return (await rotateKeyPair(paths, target, key, fingerprint)).event;
  } catch (error) {
    return `key rotation failed: ${(error as Error).message}`;
  }
}

export async function refreshOnce(paths: AgentPaths, options: RefreshOptions = {}): Promise<RefreshOutcome> {
  const key = readAgentFile<RegistrationKeyFile>(paths.registrationKey, "registration key");
  const config = readAgentFile<AgentConfigFile>(paths.agentConfig, "config");
  const { print, event: hardwareEvent } = await currentFingerprint(paths);
  const privateKey = createPrivateKey({
    key: Buffer.from(key.privateKey, "base64"),
    format: "der",
    type: "pkcs1",
  });
  const now = new Date();
  let token: Awaited<ReturnType<typeof requestRoleToken>>;
  try {
    token = await requestRoleToken(
      { endpoint: config.Ssm.Endpoint, region: key.region },
      { id: key.instanceID, key: privateKey },
      print.fingerprint,
    );
  } catch (error) {
    if (
      error instanceof AgentCallError &&
      (error.code === "MachineFingerprintDoesNotMatch" || error.code === "AccessDeniedException")
    ) {
      return hibernate(paths, [hardwareEvent, error.message].filter(Boolean).join("; "), now);
    }
    throw error;
  }
  await writeSharedCredentials(paths.credentials, SHARE_PROFILE, token);
  const identity: IdentityConfigFile = {
    SchemaVersion: "1.1",
    InstanceId: key.instanceID,
    IdentityType: "OnPrem",
    ShareFile: paths.credentials,
    ShareProfile: SHARE_PROFILE,
    CredentialsExpiresAt: token.expiresAt.toISOString(),
    CredentialsRetrievedAt: now.toISOString(),
    CredentialSource: "SSM",
  };
  await writeAgentFile(paths.identityConfig, identity);
  // The refresher rotates at half the lifetime, as DHCP renews a lease. A faster schedule (--speed) comes
  // back sooner on the same credentials: CredentialsExpiresAt above stays their true expiry, and the next
  // pass is written as the real time it happens.
  const half = Math.max(0, (token.expiresAt.getTime() - now.getTime()) / 2);
  const speed = options.speed ?? 1;
  const status: AgentStatusFile = {
    state: "running",
    since: now.toISOString(),
    lastRefreshAt: now.toISOString(),
    nextRotationAt: new Date(now.getTime() + half / speed).toISOString(),
    ...(speed === 1 ? {} : { speed }),
  };
  await writeAgentFile(paths.status, status);
  const rotation = await rotateIfDue(paths, config, key, print.fingerprint, token.updateKeyPair, speed);
  const refreshed = `credentials refreshed for ${key.instanceID} until ${token.expiresAt.toISOString()}`;
  return { nextInMs: half, status, event: rotation === undefined ? refreshed : `${refreshed}; ${rotation}` };
}
