// Decrypt as an instance's role without HTTP: the in-process SSM agent opens a session's data key the way the
// real agent does (kms:Decrypt with the instance profile's credentials), through the same key policy and IAM
// checks, and the call is audited with the instance role session as its principal.

import { randomUUID } from "node:crypto";
import type { Caller } from "../../auth/caller.js";
import { AwsServiceError } from "../../protocol/errors.js";
import type { SandboxHost, SandboxRuntime, ServiceCall } from "../../server/runtime.js";
import type { Instance } from "../../world/model.js";
import { instanceArn } from "../ec2/instance-resource.js";
import { decryptBlob } from "./key-operations.js";

/** The instance has no role, so its agent has no credentials to call KMS with. */
export class NoInstanceRoleError extends Error {
  override readonly name = "NoInstanceRoleError";
  readonly hint: string;
  constructor(instance: Instance) {
    super(`Instance ${instance.id} has no IAM role, so its SSM agent cannot call KMS.`);
    this.hint = `Give ${instance.name} a role (instances[].role in the world file) that may kms:Decrypt.`;
  }
}

/** The credentials EC2 hands an instance: the role's session named after the instance id. */
export function instanceRoleCaller(runtime: SandboxRuntime, instance: Instance): Caller {
  const role = runtime.world.roles.find((r) => r.account === instance.account && r.name === instance.role);
  if (instance.role === "" || !role) throw new NoInstanceRoleError(instance);
  return {
    type: "AssumedRole",
    credential: "assumed-role",
    arn: `arn:aws:sts::${instance.account}:assumed-role/${role.name}/${instance.id}`,
    principalArn: role.arn,
    account: instance.account,
    userId: `${role.roleId}:${instance.id}`,
    roleArn: role.arn,
    roleName: role.name,
    sessionName: instance.id,
    accessKeyId: "",
    tags: { ...role.tags },
    transitiveTagKeys: [],
    roleChain: false,
  };
}

export interface InstanceDecryptOptions {
  /** KeyId the agent passes along (the preferences' key); must name the key inside the ciphertext. */
  keyId?: string;
  /** kms:ViaService for the call; a real agent calls KMS directly, so absent by default. */
  viaService?: string;
  /** The audit line's request id (the agent quotes it in its error text, as the real agent does). */
  requestId?: string;
}

/**
 * kms:Decrypt of `ciphertextBlob` under `context` as `instance`'s role. Returns the plaintext, or throws the
 * AwsServiceError KMS would return (AccessDeniedException with the "ciphertext refers to a customer master key
 * …" text, InvalidCiphertextException for a context mismatch, …). Either way one audit line is appended.
 */
export function decryptAsInstanceRole(
  host: SandboxHost,
  instance: Instance,
  ciphertextBlob: Uint8Array,
  context: Record<string, string>,
  options: InstanceDecryptOptions = {},
): Buffer {
  const { runtime, audit } = host;
  const caller = instanceRoleCaller(runtime, instance);
  const requestId = options.requestId ?? randomUUID();
  const call: ServiceCall = {
    requestId,
    action: "Decrypt",
    caller,
    region: instance.region,
    now: runtime.clock(),
    sourceIp: instance.privateIp,
    runtime,
    audit: { service: "kms", action: "Decrypt", principalArn: caller.arn },
  };
  const arn = instanceArn(instance.region, instance.account, instance.id);
  let status = 200;
  let errorCode: string | undefined;
  try {
    return decryptBlob(call, {
      blob: Buffer.from(ciphertextBlob),
      context,
      keyId: options.keyId,
      viaService: options.viaService,
      extraContext: {
        "ec2:SourceInstanceARN": arn,
        "aws:EC2InstanceSourcePrivateIPv4": instance.privateIp,
      },
    }).plaintext;
  } catch (error) {
    if (error instanceof AwsServiceError) {
      status = error.status;
      errorCode = error.code;
      call.audit.decision ??= error.code;
      call.audit.reason ??= error.message;
    }
    throw error;
  } finally {
    audit.append({
      time: new Date(runtime.clock()).toISOString(),
      requestId,
      ...call.audit,
      decision: call.audit.decision ?? (errorCode ? errorCode : "Allow"),
      errorCode,
      status,
      sourceIp: instance.privateIp,
    });
  }
}
