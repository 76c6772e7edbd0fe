// The order of a key rotation, with every step behind a port so the order itself is what is tested:
// MFA session from the old key → CreateAccessKey → prove the new key (GetCallerIdentity, retried for IAM's
// eventual consistency) → store it in the vault → DeleteAccessKey of the old one → drop cached sessions.
// Invariant: the vault always holds a key that works. Until the new key is stored, any failure deletes the
// new key again (or says exactly how to); after, the new key stays and only the old key's deletion may be left.
//
// Which credentials delete the old key: the MFA session made from the old key at the start. It is still
// valid (deleting a key does not end the call that deletes it) and carries the MFA the policy asks for; a
// session from the new key would need a second MFA code, and a TOTP code is good once, so the user would wait
// up to 30 seconds for the next one.
import type { AwsCredentials } from "../credentials/ports.js";
import { TobiraError } from "../errors.js";
import { maskAccessKeyId } from "../vault/access-key-shape.js";

export class RotateError extends TobiraError {
  override name = "RotateError";
}

export interface Identity {
  arn: string;
}

export interface CreatedKey {
  accessKeyId: string;
  secretAccessKey: string;
  userName: string;
}

export interface RotatePorts {
  profile: string;
  oldKey: AwsCredentials;
  /** Who the old key is (GetCallerIdentity with it): the new key must be the same user. */
  identify(key: AwsCredentials): Promise<Identity>;
  /** Credentials for the IAM calls: an MFA session made from the old key (or the old key when no MFA). */
  iamSession(): Promise<AwsCredentials>;
  listKeyIds(session: AwsCredentials): Promise<string[]>;
  createKey(session: AwsCredentials): Promise<CreatedKey>;
  /** GetCallerIdentity with the new key, retried while IAM has not made it known everywhere yet. */
  proveKey(key: AwsCredentials): Promise<Identity>;
  storeKey(key: CreatedKey): Promise<void>;
  /** The access key id the vault holds for the profile now (to tell a failed store from a half-done one). */
  storedKeyId(): Promise<string | undefined>;
  deleteKey(session: AwsCredentials, accessKeyId: string): Promise<void>;
  clearSessions(): Promise<void>;
  progress(line: string): void;
}

export interface RotateResult {
  oldKeyId: string;
  newKeyId: string;
  userArn: string;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function rotateAccessKey(ports: RotatePorts): Promise<RotateResult> {
  const { profile, oldKey, progress } = ports;
  const oldId = oldKey.accessKeyId;
  const who = await ports.identify(oldKey);
  progress(`rotating access key ${maskAccessKeyId(oldId)} of ${who.arn} (profile '${profile}')`);

  const session = await ports.iamSession();
  checkRoomForKey(await ports.listKeyIds(session), oldId);

  progress("creating a new access key");
  const created = await ports.createKey(session);
  const newId = created.accessKeyId;
  progress(`created ${maskAccessKeyId(newId)}; checking that it works`);

  const undo = (step: string, cause: unknown) => undoNewKey(ports, session, oldId, created, step, cause);

  try {
    const proved = await ports.proveKey(created);
    if (proved.arn !== who.arn) {
      throw new Error(`the new key belongs to ${proved.arn}, not to ${who.arn}`);
    }
  } catch (error) {
    return undo("checking the new key", error);
  }

  try {
    await ports.storeKey(created);
  } catch (error) {
    // A store that failed after all (the vault file was replaced) must not be undone: check what is there.
    const stored = await ports.storedKeyId().catch(() => undefined);
    if (stored !== newId) return undo("storing the new key in the vault", error);
  }
  progress(`stored ${maskAccessKeyId(newId)} in the vault for profile '${profile}'`);

  await ports.clearSessions();
  progress("dropped the cached sessions made with the old key");

  try {
    await ports.deleteKey(session, oldId);
  } catch (error) {
    throw new RotateError(
      `the new key ${maskAccessKeyId(newId)} is stored and works, but deleting the old key ${oldId} failed: ${reasonOf(error)}`,
      {
        hint: `delete it yourself: aws iam delete-access-key --access-key-id ${oldId} --user-name ${created.userName} (with MFA)`,
        cause: error,
      },
    );
  }
  progress(
    `deleted the old key ${maskAccessKeyId(oldId)}; profile '${profile}' now uses ${maskAccessKeyId(newId)}`,
  );
  return { oldKeyId: oldId, newKeyId: newId, userArn: who.arn };
}

/** IAM allows two access keys per user: a rotation needs the second place free. */
function checkRoomForKey(existing: string[], oldId: string): void {
  if (existing.length < 2) return;
  const others = existing.filter((id) => id !== oldId);
  throw new RotateError(
    `the user already has two access keys (${existing.map(maskAccessKeyId).join(", ")}); IAM allows no third`,
    {
      hint: `delete the key that is not in the vault first (aws iam delete-access-key --access-key-id ${others[0] ?? "…"}), then rotate again`,
    },
  );
}

/** Deletes the new key after `step` failed, and throws what the user must know (and do, if that failed too). */
async function undoNewKey(
  ports: RotatePorts,
  session: AwsCredentials,
  oldId: string,
  created: CreatedKey,
  step: string,
  cause: unknown,
): Promise<never> {
  const newId = created.accessKeyId;
  try {
    await ports.deleteKey(session, newId);
  } catch (deleteError) {
    throw new RotateError(
      `rotation failed while ${step} (${reasonOf(cause)}), and the new key ${newId} could not be deleted again (${reasonOf(deleteError)})`,
      {
        hint:
          `the vault still holds the old, working key ${maskAccessKeyId(oldId)}; delete the unused new key with ` +
          `\`aws iam delete-access-key --access-key-id ${newId} --user-name ${created.userName}\` (with MFA), then rotate again`,
        cause,
      },
    );
  }
  throw new RotateError(`rotation failed while ${step}: ${reasonOf(cause)}`, {
    hint: `nothing changed: the new key was deleted again and the vault still holds ${maskAccessKeyId(oldId)}`,
    cause,
  });
}

/**
 * Calls `attempt` until it succeeds or a non-retryable error comes, waiting 1, 2, 4, … seconds between tries
 * (at most `maxAttempts` tries): how long IAM may take before a new key works everywhere.
 */
export async function retryWhileUnknown<T>(
  attempt: () => Promise<T>,
  options: {
    retryable: (error: unknown) => boolean;
    maxAttempts?: number;
    sleep?: (ms: number) => Promise<void>;
    onRetry?: (attempt: number, waitMs: number) => void;
  },
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 6;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= maxAttempts || !options.retryable(error)) throw error;
      const waitMs = 1000 * 2 ** (n - 1);
      options.onRetry?.(n, waitMs);
      await sleep(waitMs);
    }
  }
}
