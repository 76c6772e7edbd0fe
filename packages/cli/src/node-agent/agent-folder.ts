// The simulated node's folder, laid out as the SSM agent lays out /var/lib/amazon/ssm (facts A.6, A.3):
// Vault/Manifest and Vault/Store/{RegistrationKey,InstanceFingerprint}, `registration`,
// runtimeconfig/identity_config.json; beside them what the simulation adds: the agent's config
// (amazon-ssm-agent.json: the endpoint), the shared credentials file it refreshes, the simulated machine
// (hardware.json) and the agent's state (agent-status.json). Everything 0600 in 0700 folders, as root's.

import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { TobiraError } from "../errors.js";
import { writeFileAtomically } from "../files/atomic-write.js";

export interface AgentPaths {
  dir: string;
  manifest: string;
  registrationKey: string;
  instanceFingerprint: string;
  registration: string;
  identityConfig: string;
  agentConfig: string;
  credentials: string;
  hardware: string;
  status: string;
}

export function agentPaths(dir: string): AgentPaths {
  const root = resolve(dir);
  const store = join(root, "Vault", "Store");
  return {
    dir: root,
    manifest: join(root, "Vault", "Manifest"),
    registrationKey: join(store, "RegistrationKey"),
    instanceFingerprint: join(store, "InstanceFingerprint"),
    registration: join(root, "registration"),
    identityConfig: join(root, "runtimeconfig", "identity_config.json"),
    agentConfig: join(root, "amazon-ssm-agent.json"),
    credentials: join(root, "credentials"),
    hardware: join(root, "hardware.json"),
    status: join(root, "agent-status.json"),
  };
}

/** Store/RegistrationKey (camelCase keys, the private key as base64 PKCS#1 DER, unencrypted as the agent keeps it). */
export interface RegistrationKeyFile {
  instanceID: string;
  region: string;
  instanceType: string;
  availabilityZone: string;
  privateKey: string;
  privateKeyType: "Rsa";
  privateKeyCreatedDate: string;
}

/** Store/InstanceFingerprint: the opaque UUID the service checks, and the hardware hash kept locally. */
export interface FingerprintFile {
  fingerprint: string;
  hardwareHash: Record<string, string>;
  similarityThreshold: number;
}

export interface AgentConfigFile {
  Ssm: { Endpoint: string };
  Agent: { Region: string };
  /** KeyAutoRotateDays: rotate the RSA key pair when it is this many days old (0 or absent: never). */
  Profile?: { KeyAutoRotateDays?: number };
}

/** identity_config.json (A.3): when the shared credentials were fetched and when they expire. */
export interface IdentityConfigFile {
  SchemaVersion: "1.1";
  InstanceId: string;
  IdentityType: "OnPrem";
  ShareFile: string;
  ShareProfile: string;
  CredentialsExpiresAt: string;
  CredentialsRetrievedAt: string;
  CredentialSource: "SSM";
}

export interface AgentStatusFile {
  state: "running" | "hibernating";
  since: string;
  reason?: string | undefined;
  lastRefreshAt?: string | undefined;
  /** When the next refresh really happens (sooner than half-life under --speed). */
  nextRotationAt?: string | undefined;
  /** The --speed the agent runs at, when not 1. */
  speed?: number | undefined;
}

export function readAgentFile<T>(path: string, what: string): T {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new TobiraError(`cannot read the agent's ${what} (${path}): ${(error as Error).message}`, {
      hint: "register the node first (`tobira sandbox node register`), and run as the user that owns the folder",
    });
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new TobiraError(`the agent's ${what} (${path}) is not JSON`, {
      hint: "re-register the node with --force to write it afresh",
    });
  }
}

/** Whole-file JSON written atomically, 0600, its folders 0700. */
export async function writeAgentFile(path: string, value: unknown): Promise<void> {
  mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
  await writeFileAtomically(path, `${JSON.stringify(value)}\n`, { mode: 0o600 });
}

/** Go's time.String() layout the agent writes privateKeyCreatedDate in: `2025-01-02 15:04:05.123456789 +0000 UTC`. */
export function goTime(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000000 +0000 UTC`;
}
