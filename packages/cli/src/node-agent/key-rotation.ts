// The agent's rotation of its own RSA key pair (facts A.4): due when SSM's token answer says UpdateKeyPair,
// or when the key is Profile.KeyAutoRotateDays old (0, the default, is off; a key without a creation date
// counts as ten years old). A new pair is registered with UpdateManagedInstancePublicKey signed by the OLD
// key; if that call fails, a token request tells which key SSM holds (the old: give up for now; the new: keep
// it; neither: keep the old and report). The new private key is then written to the vault; if that write
// fails, the old public key is put back so the key on disk stays the registered one.

import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { AgentCallError, type AgentEndpoint, requestRoleToken, updatePublicKey } from "./agent-client.js";
import { type AgentPaths, goTime, type RegistrationKeyFile, writeAgentFile } from "./agent-folder.js";

const DAY_MS = 24 * 3600 * 1000;
/** The age the agent gives a key whose creation date is missing or unreadable. */
const UNKNOWN_AGE_MS = 10 * 365 * DAY_MS;
export const MAX_KEY_ROTATE_DAYS = 365;

/** Go's time.String() form the vault keeps (`2025-01-02 15:04:05.123456789 +0000 UTC`), read back. */
export function parseGoTime(text: string | undefined): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)? \+0000 UTC$/.exec(text ?? "");
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]}T${match[2]}${(match[3] ?? "").slice(0, 4)}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Whether the key is due: SSM asked, or its age in agent time (real time × speed, so a faster schedule ages
 * the key as much faster) reached the configured days.
 */
export function keyRotationDue(
  key: RegistrationKeyFile,
  rotateDays: number,
  updateKeyPair: boolean,
  now: number,
  speed: number,
): boolean {
  if (updateKeyPair) return true;
  if (!(rotateDays > 0)) return false;
  const created = parseGoTime(key.privateKeyCreatedDate);
  const ageMs = created === undefined ? UNKNOWN_AGE_MS : (now - created) * speed;
  return ageMs >= rotateDays * DAY_MS;
}

function privateKeyOf(base64: string): KeyObject {
  return createPrivateKey({ key: Buffer.from(base64, "base64"), format: "der", type: "pkcs1" });
}

/** Whether SSM takes a token request signed with this key (the probe after a failed update). */
async function keyWorks(
  target: AgentEndpoint,
  nodeId: string,
  key: KeyObject,
  fingerprint: string,
): Promise<boolean> {
  try {
    await requestRoleToken(target, { id: nodeId, key }, fingerprint);
    return true;
  } catch (error) {
    if (error instanceof AgentCallError) return false;
    throw error;
  }
}

export interface RotationResult {
  rotated: boolean;
  event: string;
}

export async function rotateKeyPair(
  paths: AgentPaths,
  target: AgentEndpoint,
  key: RegistrationKeyFile,
  fingerprint: string,
): Promise<RotationResult> {
  const oldKey = privateKeyOf(key.privateKey);
  const oldPublic = createPublicKey(oldKey).export({ type: "spki", format: "der" }).toString("base64");
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const newPrivate = pair.privateKey.export({ type: "pkcs1", format: "der" }).toString("base64");
  const newPublic = pair.publicKey.export({ type: "spki", format: "der" }).toString("base64");
  const node = { id: key.instanceID, key: oldKey };
  let updateError: Error | undefined;
  try {
    await updatePublicKey(target, node, newPublic);
  } catch (error) {
    updateError = error as Error;
  }
  if (updateError) {
    // The answer may have been lost after SSM took the key: ask SSM which key it now holds.
    if (await keyWorks(target, key.instanceID, oldKey, fingerprint)) {
      return { rotated: false, event: `key rotation failed, the old key stays: ${updateError.message}` };
    }
    if (!(await keyWorks(target, key.instanceID, pair.privateKey, fingerprint))) {
      throw new Error(`key rotation failed and SSM takes neither key: ${updateError.message}`);
    }
  }
  const rotated: RegistrationKeyFile = {
    ...key,
    privateKey: newPrivate,
    privateKeyCreatedDate: goTime(new Date()),
  };
  try {
    await writeAgentFile(paths.registrationKey, rotated);
  } catch (error) {
    // The vault still holds the old key: make it the registered one again, signed with the new key.
    await updatePublicKey(target, { id: key.instanceID, key: pair.privateKey }, oldPublic);
    throw new Error(
      `the new key could not be saved, the old one is registered again: ${(error as Error).message}`,
    );
  }
  return {
    rotated: true,
    event: `rotated the key pair of ${key.instanceID} (UpdateManagedInstancePublicKey)`,
  };
}
