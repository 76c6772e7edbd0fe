// `-register -code … -id … -region …`, as the agent does it (facts A.1): a new RSA-2048 key pair and a random
// fingerprint UUID, the private key written to the vault with an empty instance id first (the agent's
// write-access check), RegisterManagedInstance, then the vault entry with the mi-… id, `registration`, the
// fingerprint with the machine's hardware hash and threshold, and the agent's endpoint.

import { generateKeyPairSync, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { TobiraError } from "../errors.js";
import { type AgentEndpoint, type NodeService, registerManagedInstance } from "./agent-client.js";
import {
  type AgentConfigFile,
  type AgentPaths,
  agentPaths,
  type FingerprintFile,
  goTime,
  type RegistrationKeyFile,
  writeAgentFile,
} from "./agent-folder.js";
import { DEFAULT_THRESHOLD, hardwareHash, newSimulatedHardware, type SimulatedHardware } from "./hardware.js";
import { MAX_KEY_ROTATE_DAYS } from "./key-rotation.js";

export interface RegisterInput extends AgentEndpoint {
  dir: string;
  activationId: string;
  activationCode: string;
  /** Re-register over an existing registration (the agent's -y). */
  force?: boolean | undefined;
  /** -similarityThreshold: 1–100, or -1 to disable the check. */
  threshold?: number | undefined;
  /** Profile.KeyAutoRotateDays of the agent's config: 0 (never) to 365. */
  keyAutoRotateDays?: number | undefined;
  /** The services the simulated server runs (the sandbox serves its ports); absent: 80 and 22. */
  services?: NodeService[] | undefined;
}

/** The simulated machine: the one in the folder (a re-registration keeps its hardware), else a new one. */
export function readOrCreateHardware(paths: AgentPaths): { hardware: SimulatedHardware; created: boolean } {
  if (existsSync(paths.hardware)) {
    return {
      hardware: JSON.parse(readFileSync(paths.hardware, "utf8")) as SimulatedHardware,
      created: false,
    };
  }
  return { hardware: newSimulatedHardware(), created: true };
}

function checkInput(paths: AgentPaths, input: RegisterInput): void {
  if (existsSync(paths.registration) && !input.force) {
    const { ManagedInstanceID } = JSON.parse(readFileSync(paths.registration, "utf8")) as {
      ManagedInstanceID?: string;
    };
    throw new TobiraError(`${paths.dir} is already registered as ${ManagedInstanceID ?? "a managed node"}`, {
      hint: "pass --force to register again with a new activation (the old key and fingerprint are replaced)",
    });
  }
  const days = input.keyAutoRotateDays;
  if (days !== undefined && !(Number.isInteger(days) && days >= 0 && days <= MAX_KEY_ROTATE_DAYS)) {
    throw new TobiraError(`--key-auto-rotate-days ${days} is not allowed`, {
      hint: `use a whole number of days from 0 (never) to ${MAX_KEY_ROTATE_DAYS}`,
    });
  }
  const t = input.threshold;
  if (t !== undefined && t !== -1 && !(Number.isInteger(t) && t >= 1 && t <= 100)) {
    throw new TobiraError(`--similarity-threshold ${t} is not allowed`, {
      hint: "use 1 to 100, or -1 to disable the check",
    });
  }
}

export interface Registered {
  nodeId: string;
  fingerprint: string;
  paths: AgentPaths;
}

export async function registerNode(input: RegisterInput): Promise<Registered> {
  const paths = agentPaths(input.dir);
  checkInput(paths, input);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateKey = pair.privateKey.export({ type: "pkcs1", format: "der" }).toString("base64");
  const publicKey = pair.publicKey.export({ type: "spki", format: "der" }).toString("base64");
  const key: RegistrationKeyFile = {
    instanceID: "",
    region: input.region,
    instanceType: "",
    availabilityZone: "",
    privateKey,
    privateKeyType: "Rsa",
    privateKeyCreatedDate: goTime(new Date()),
  };
  await writeAgentFile(paths.manifest, {
    RegistrationKey: paths.registrationKey,
    InstanceFingerprint: paths.instanceFingerprint,
  });
  await writeAgentFile(paths.registrationKey, key);
  const fingerprint = randomUUID();
  const nodeId = await registerManagedInstance(input, {
    activationId: input.activationId,
    activationCode: input.activationCode,
    publicKey,
    fingerprint,
    services: input.services,
  });
  await writeAgentFile(paths.registrationKey, { ...key, instanceID: nodeId });
  await writeAgentFile(paths.registration, { ManagedInstanceID: nodeId, Region: input.region });
  const { hardware } = readOrCreateHardware(paths);
  await writeAgentFile(paths.hardware, hardware);
  const print: FingerprintFile = {
    fingerprint,
    hardwareHash: hardwareHash(hardware),
    similarityThreshold: input.threshold ?? DEFAULT_THRESHOLD,
  };
  await writeAgentFile(paths.instanceFingerprint, print);
  const config: AgentConfigFile = {
    Ssm: { Endpoint: input.endpoint },
    Agent: { Region: input.region },
    ...(input.keyAutoRotateDays === undefined
      ? {}
      : { Profile: { KeyAutoRotateDays: input.keyAutoRotateDays } }),
  };
  await writeAgentFile(paths.agentConfig, config);
  await writeAgentFile(paths.status, { state: "running", since: new Date().toISOString() });
  return { nodeId, fingerprint, paths };
}
