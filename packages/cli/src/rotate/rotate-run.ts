// What `tobira rotate PROFILE` does: finds the profile's long-term key in the vault and the user's MFA device,
// wires the real ports (STS and IAM through the SDK, the vault, the session cache) and runs the rotation.

import type { ResolvedProfile } from "../config/index.js";
import { forgetCachedSessions } from "../credentials/cached-sessions.js";
import { MissingLongTermKeysError, type StsCallError } from "../credentials/errors.js";
import { mfaRunnerFor } from "../credentials/mfa-runner.js";
import { DEFAULT_REGION } from "../credentials/plan.js";
import type { AwsCredentials } from "../credentials/ports.js";
import { TobiraError } from "../errors.js";
import { maskAccessKeyId } from "../vault/access-key-shape.js";
import type { Vault } from "../vault/vault.js";
import {
  createAccessKey,
  deleteAccessKey,
  type IamTarget,
  listAccessKeys,
  listMfaSerials,
} from "./iam-calls.js";
import { type RotatePorts, type RotateResult, retryWhileUnknown, rotateAccessKey } from "./rotate-key.js";

export interface RotateOptions {
  mfaCode?: string;
  mfaPrompt?: string;
  /** --backend: the vault backend holding the key. */
  backend?: string;
  region?: string;
  env?: NodeJS.ProcessEnv;
  /** Progress lines and notices; stderr by default. Never given a secret. */
  progress?: (line: string) => void;
  /** How often the new key is tried before giving up (default 6: about 30 seconds in all). */
  proofAttempts?: number;
}

/** Lifetime of the MFA session the IAM calls use: a rotation takes seconds; the minimum is plenty. */
const ROTATION_SESSION_SECONDS = 900;

/** Builds the ports of a rotation of `profile`'s key (the key of its source profile, for a role profile). */
export async function prepareRotation(profile: string, options: RotateOptions = {}): Promise<RotatePorts> {
  const env = options.env ?? process.env;
  const progress = options.progress ?? ((line: string) => process.stderr.write(`tobira: ${line}\n`));
  const { files, resolved, keyProfile, target } = await rotationTarget(profile, options, env);
  const { openVault } = await import("../vault/open-vault.js");
  const vault = await openVault({
    env,
    ...(options.backend === undefined ? {} : { backend: options.backend }),
  });
  const oldKey = await storedKey(vault, keyProfile, resolved);
  const sts = await import("../credentials/sts-calls.js");
  const identify = (key: AwsCredentials) =>
    sts.getCallerIdentity(key, target.region, target.endpointUrl, keyProfile);
  const iamSession = async (): Promise<AwsCredentials> => {
    const serial = await mfaSerialOf(resolved, oldKey, target, keyProfile, progress);
    if (serial === undefined) {
      progress("no MFA device known: calling IAM with the long-term key itself");
      return oldKey;
    }
    const withMfa = await mfaRunnerFor(files, resolved, options, env);
    const step = {
      kind: "session-token" as const,
      profile: keyProfile,
      serial,
      durationSeconds: ROTATION_SESSION_SECONDS,
      region: target.region,
      ...(target.endpointUrl === undefined ? {} : { endpointUrl: target.endpointUrl }),
    };
    progress(`getting an MFA session (device ${serial}) for the IAM calls`);
    return withMfa({ profile: keyProfile, serial }, (code) => sts.getSessionToken(step, oldKey, code));
  };
  return {
    profile: keyProfile,
    oldKey,
    identify,
    iamSession,
    listKeyIds: async (session) => (await listAccessKeys(session, target)).map((key) => key.accessKeyId),
    createKey: (session) => createAccessKey(session, target),
    proveKey: (key) =>
      retryWhileUnknown(() => identify(key), {
        retryable: (error) => (error as StsCallError).code === "InvalidClientTokenId",
        maxAttempts: options.proofAttempts ?? 6,
        onRetry: (n, waitMs) =>
          progress(`the new key is not known everywhere yet (try ${n}); trying again in ${waitMs / 1000} s`),
      }),
    async storeKey(key) {
      await vault.keys.set(keyProfile, {
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey,
        addedAt: new Date().toISOString(),
        userName: key.userName,
      });
    },
    storedKeyId: async () => (await vault.keys.get(keyProfile))?.accessKeyId,
    deleteKey: (session, accessKeyId) => deleteAccessKey(session, target, accessKeyId),
    async clearSessions() {
      // Every session rooted in the old key, and the cache's record of which key the profile has.
      await forgetCachedSessions(keyProfile, env);
    },
    progress,
  };
}

/** The profile whose key is rotated (a role profile's source), and where its STS and IAM calls go. */
async function rotationTarget(profile: string, options: RotateOptions, env: NodeJS.ProcessEnv) {
  const { loadConfigFiles, resolveProfile } = await import("../config/index.js");
  const files = await loadConfigFiles({ env });
  const resolved = resolveProfile(files, profile, { env });
  if (resolved.source.kind !== "static") {
    throw new TobiraError(`profile '${profile}' has no long-term access key to rotate`, {
      hint: `its credentials come from ${resolved.source.kind === "process" ? "a credential_process" : `the ${resolved.source.kind} source`}; rotate them where they are made`,
    });
  }
  const target: IamTarget = {
    region: options.region ?? resolved.region ?? DEFAULT_REGION,
    ...(resolved.endpointUrl === undefined ? {} : { endpointUrl: resolved.endpointUrl }),
  };
  return { files, resolved, keyProfile: resolved.source.profile, target };
}

/** The key the vault holds for `keyProfile`; one written in an AWS file must be moved into the vault first. */
async function storedKey(
  vault: Vault,
  keyProfile: string,
  resolved: ResolvedProfile,
): Promise<AwsCredentials> {
  const stored = await vault.keys.get(keyProfile);
  if (stored) return { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey };
  const fromFile = resolved.source.kind === "static" ? resolved.source.fromFile : undefined;
  if (fromFile) {
    throw new TobiraError(
      `the key of profile '${keyProfile}' is written in ${fromFile.file}, not in tobira's vault`,
      {
        hint: `move it into the vault first (tobira add ${keyProfile}), remove it from that file, then rotate`,
      },
    );
  }
  throw new MissingLongTermKeysError(keyProfile);
}

/** The user's MFA device: mfa_serial from the files, else the one device IAM lists for the user (said so). */
async function mfaSerialOf(
  resolved: ResolvedProfile,
  oldKey: AwsCredentials,
  target: IamTarget,
  keyProfile: string,
  progress: (line: string) => void,
): Promise<string | undefined> {
  const configured = resolved.sourceUser?.mfaSerial;
  if (configured !== undefined) return configured;
  // No mfa_serial in the files: ask IAM which device the user has (allowed without MFA under the usual
  // "manage your own MFA" policies); with exactly one, use it and say so.
  const serials = await listMfaSerials(oldKey, target).catch(() => []);
  if (serials.length !== 1) return undefined;
  progress(`using the MFA device ${serials[0]} (add mfa_serial to profile '${keyProfile}' to name it)`);
  return serials[0];
}

export async function runRotate(profile: string, options: RotateOptions = {}): Promise<RotateResult> {
  const ports = await prepareRotation(profile, options);
  const result = await rotateAccessKey(ports);
  process.stdout.write(
    `Rotated the access key of profile '${ports.profile}': ${maskAccessKeyId(result.oldKeyId)} → ${maskAccessKeyId(result.newKeyId)}.\n`,
  );
  return result;
}
