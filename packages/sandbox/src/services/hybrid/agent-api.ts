// The SSM agent's side of hybrid activation: RegisterManagedInstance (unauthenticated: the activation id and
// code in the body are the proof), then RequestManagedInstanceRoleToken and UpdateManagedInstancePublicKey,
// each signed with the node's RSA key and checked against the key it registered.

import { randomBytes, timingSafeEqual } from "node:crypto";
import { AwsServiceError } from "../../protocol/errors.js";
import type { SandboxRuntime } from "../../server/runtime.js";
import type { TargetRoute } from "../../server/service-registry.js";
import { JsonInput } from "../ssm/json-input.js";
import { codeHash } from "./activations-api.js";
import { type AgentCall, agentRoute } from "./agent-answer.js";
import { agentSignatureMatches, nodePublicKey, readAgentClaim } from "./agent-signature.js";
import {
  type ActivationRecord,
  activations,
  type ManagedNodeRecord,
  managedNodes,
  saveActivations,
  saveManagedNodes,
  updateManagedNode,
} from "./hybrid-records.js";
import { syncManagedNodes } from "./managed-node-world.js";
import { requestedNodePorts } from "./node-ports.js";
import { findServiceRole, issueNodeSession, trustsSsm } from "./node-role.js";

/** An RSA-2048 SubjectPublicKeyInfo is 294 bytes, 392 base64 characters: SSM's minimum. */
const PUBLIC_KEY_RULE = { required: true, min: 392, max: 2048 } as const;

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The key as a node may register it: an RSA public key of at least 2048 bits. */
function checkPublicKey(spkiBase64: string): void {
  let bits: number | undefined;
  try {
    const key = nodePublicKey(spkiBase64);
    bits = key.asymmetricKeyType === "rsa" ? key.asymmetricKeyDetails?.modulusLength : undefined;
  } catch {
    bits = undefined;
  }
  if (bits === undefined || bits < 2048) {
    throw new AwsServiceError(
      "InvalidPublicKey",
      "The public key is not valid: send the base64 DER SubjectPublicKeyInfo of an RSA key of at least 2048 bits.",
      400,
    );
  }
}

function usableActivation(runtime: SandboxRuntime, id: string, code: string, now: number): ActivationRecord {
  const activation = activations(runtime)[id];
  if (!activation || !sameHash(activation.codeHash, codeHash(code))) {
    throw new AwsServiceError(
      "InvalidActivation",
      "The activation is not valid: the activation ID and code do not match, or the activation was deleted.",
      400,
    );
  }
  if (Date.parse(activation.expirationDate) <= now) {
    throw new AwsServiceError("ActivationExpired", `The activation ${id} has expired.`, 400);
  }
  if (activation.registrationsCount >= activation.registrationLimit) {
    throw new AwsServiceError(
      "RegistrationLimitExceeded",
      `The activation ${id} has reached its registration limit of ${activation.registrationLimit}.`,
      400,
    );
  }
  return activation;
}

async function registerManagedInstance(call: AgentCall) {
  const input = new JsonInput(call.input);
  const code = input.string("ActivationCode", { required: true, min: 20, max: 250 })!;
  const activationId = input.string("ActivationId", { required: true, min: 36, max: 36 })!;
  const publicKey = input.string("PublicKey", PUBLIC_KEY_RULE)!;
  input.string("PublicKeyType", { oneOf: ["Rsa"] });
  const fingerprint = input.string("Fingerprint", { required: true, min: 1, max: 256 })!;
  input.string("IamRole");
  input.structList("Tags");
  input.done();
  const ports = requestedNodePorts(call.request);
  const activation = usableActivation(call.runtime, activationId, code, call.now);
  checkPublicKey(publicKey);
  const nodes = managedNodes(call.runtime);
  if (Object.values(nodes).some((n) => n.publicKey === publicKey)) {
    throw new AwsServiceError(
      "InstanceAlreadyRegistered",
      "A managed node is already registered with this public key.",
      400,
    );
  }
  const node: ManagedNodeRecord = {
    id: `mi-${randomBytes(9).toString("hex").slice(0, 17)}`,
    account: activation.account,
    region: activation.region,
    activationId,
    name: activation.defaultInstanceName ?? "",
    iamRole: activation.iamRole,
    publicKey,
    fingerprint,
    registeredAt: new Date(call.now).toISOString(),
    sourceIp: call.request.sourceIp,
    tags: { ...activation.tags },
    ...(ports === undefined ? {} : { ports }),
  };
  saveActivations(call.runtime, {
    ...activations(call.runtime),
    [activationId]: { ...activation, registrationsCount: activation.registrationsCount + 1 },
  });
  saveManagedNodes(call.runtime, { ...nodes, [node.id]: node });
  syncManagedNodes(call.runtime);
  call.audit.principalArn = nodeArn(node);
  call.audit.reason = `activation ${activationId} registered ${node.id}`;
  return { InstanceId: node.id };
}

function nodeArn(node: ManagedNodeRecord): string {
  return `arn:aws:ssm:${node.region}:${node.account}:managed-instance/${node.id}`;
}

/** The registered node that signed the request, after its signature is checked. */
async function signingNode(call: AgentCall): Promise<ManagedNodeRecord> {
  const claim = readAgentClaim(call.request, call.now);
  call.audit.accessKeyId = claim.accessKeyId;
  const node = managedNodes(call.runtime)[claim.accessKeyId];
  if (!node || node.region !== claim.scope.region) {
    throw new AwsServiceError(
      "InvalidInstanceId",
      `The managed node ${claim.accessKeyId} is not registered in ${claim.scope.region} (never registered, or deregistered).`,
      400,
    );
  }
  call.audit.principalArn = nodeArn(node);
  if (!(await agentSignatureMatches(call.request, claim, nodePublicKey(node.publicKey)))) {
    throw new AwsServiceError(
      "InvalidSignatureException",
      `The request signature does not match the public key registered for ${node.id}.`,
      400,
    );
  }
  return node;
}

function refuseFingerprint(call: AgentCall, node: ManagedNodeRecord): never {
  updateManagedNode(call.runtime, node.id, (n) => ({
    ...n,
    fingerprintMismatchAt: new Date(call.now).toISOString(),
  }));
  syncManagedNodes(call.runtime);
  throw new AwsServiceError(
    "MachineFingerprintDoesNotMatch",
    `The fingerprint does not match the one ${node.id} registered with.`,
    400,
  );
}

async function requestManagedInstanceRoleToken(call: AgentCall) {
  const node = await signingNode(call);
  const input = new JsonInput(call.input);
  const fingerprint = input.string("Fingerprint", { required: true, min: 1, max: 256 })!;
  input.done();
  if (fingerprint !== node.fingerprint) refuseFingerprint(call, node);
  const role = findServiceRole(call.runtime, node.account, node.iamRole);
  if (!role || !trustsSsm(role, call.now)) {
    throw new AwsServiceError(
      "AccessDeniedException",
      `SSM cannot assume the role ${node.iamRole} for ${node.id}: it is missing or does not trust ssm.amazonaws.com.`,
      400,
    );
  }
  const session = issueNodeSession(call.runtime, role, node.id, call.now);
  const wasHibernating = node.fingerprintMismatchAt !== undefined;
  updateManagedNode(call.runtime, node.id, ({ fingerprintMismatchAt: _cleared, ...n }) => ({
    ...n,
    lastTokenAt: new Date(call.now).toISOString(),
  }));
  if (wasHibernating) syncManagedNodes(call.runtime);
  call.audit.reason = `role ${role.name} for ${node.id}, key ${session.accessKeyId}`;
  return {
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secretAccessKey,
    SessionToken: session.sessionToken,
    TokenExpirationDate: Date.parse(session.expiration) / 1000,
    UpdateKeyPair: false,
  };
}

async function updateManagedInstancePublicKey(call: AgentCall) {
  const node = await signingNode(call);
  const input = new JsonInput(call.input);
  const newKey = input.string("NewPublicKey", PUBLIC_KEY_RULE)!;
  input.string("NewPublicKeyType", { required: true, oneOf: ["Rsa"] });
  input.done();
  checkPublicKey(newKey);
  if (Object.values(managedNodes(call.runtime)).some((n) => n.publicKey === newKey)) {
    throw new AwsServiceError("PublicKeyAlreadyRegistered", "This public key is already registered.", 400);
  }
  updateManagedNode(call.runtime, node.id, (n) => ({ ...n, publicKey: newKey }));
  call.audit.reason = `${node.id} rotated its key`;
  return {};
}

export function agentRoutes(): TargetRoute[] {
  return [
    agentRoute("RegisterManagedInstance", registerManagedInstance),
    agentRoute("RequestManagedInstanceRoleToken", requestManagedInstanceRoleToken),
    agentRoute("UpdateManagedInstancePublicKey", updateManagedInstancePublicKey),
  ];
}
