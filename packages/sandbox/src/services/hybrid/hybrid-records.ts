// What SSM keeps about hybrid activations and the managed nodes registered with them, in state.json: an
// activation's code only as its SHA-256 (the code is a password), a node's public key and fingerprint (what
// its RSA-signed requests are checked against), and the tags nodes carry.

import type { SandboxRuntime } from "../../server/runtime.js";
import { isObject, ServiceRecord } from "../../state/service-record.js";
import type { InstancePort, Tags } from "../../world/model.js";

export interface ActivationRecord {
  id: string;
  /** SHA-256 (hex) of the activation code. */
  codeHash: string;
  account: string;
  region: string;
  description?: string | undefined;
  defaultInstanceName?: string | undefined;
  /** Name of the IAM service role the nodes get (in the activation's account). */
  iamRole: string;
  registrationLimit: number;
  registrationsCount: number;
  expirationDate: string;
  createdDate: string;
  tags: Tags;
}

export interface ManagedNodeRecord {
  id: string;
  account: string;
  region: string;
  activationId: string;
  name: string;
  iamRole: string;
  /** Base64 of the DER SubjectPublicKeyInfo the node registered (or last rotated to). */
  publicKey: string;
  /** The opaque fingerprint (a UUID) the node must send with every token request. */
  fingerprint: string;
  registeredAt: string;
  sourceIp: string;
  tags: Tags;
  /** The services the simulated server runs, as its registration named them; absent: 80 and 22. */
  ports?: InstancePort[] | undefined;
  /** Set when the node's last token request carried another fingerprint: its agent hibernates. */
  fingerprintMismatchAt?: string | undefined;
  lastTokenAt?: string | undefined;
}

const ACTIVATIONS = new ServiceRecord<Record<string, ActivationRecord>>(
  "ssm-activations",
  "activations",
  isObject,
  () => ({}),
);
const NODES = new ServiceRecord<Record<string, ManagedNodeRecord>>(
  "ssm-managed-nodes",
  "nodes",
  isObject,
  () => ({}),
);
/** Tags set by AddTagsToResource on managed nodes the world declares (registered nodes keep theirs above). */
const WORLD_NODE_TAGS = new ServiceRecord<Record<string, Tags>>(
  "ssm-managed-node-tags",
  "tags",
  isObject,
  () => ({}),
);

export function activations(runtime: SandboxRuntime): Record<string, ActivationRecord> {
  return ACTIVATIONS.read(runtime.state);
}

export function saveActivations(runtime: SandboxRuntime, value: Record<string, ActivationRecord>): void {
  ACTIVATIONS.write(runtime.state, value);
}

export function managedNodes(runtime: SandboxRuntime): Record<string, ManagedNodeRecord> {
  return NODES.read(runtime.state);
}

export function saveManagedNodes(runtime: SandboxRuntime, value: Record<string, ManagedNodeRecord>): void {
  NODES.write(runtime.state, value);
}

export function worldNodeTags(runtime: SandboxRuntime): Record<string, Tags> {
  return WORLD_NODE_TAGS.read(runtime.state);
}

export function saveWorldNodeTags(runtime: SandboxRuntime, value: Record<string, Tags>): void {
  WORLD_NODE_TAGS.write(runtime.state, value);
}

/** Changes one node's record and saves it. */
export function updateManagedNode(
  runtime: SandboxRuntime,
  id: string,
  change: (node: ManagedNodeRecord) => ManagedNodeRecord,
): ManagedNodeRecord | undefined {
  const nodes = managedNodes(runtime);
  const node = nodes[id];
  if (!node) return undefined;
  const changed = change(node);
  saveManagedNodes(runtime, { ...nodes, [id]: changed });
  return changed;
}
