// The agent's side of the handshake (§5.1–§5.5): whether to ask, what to ask, and judging the answers.

import { randomBytes, timingSafeEqual } from "node:crypto";
import { ActionStatus, ActionType, HANDSHAKE, SessionType } from "../constants.js";
import type {
  HandshakeRequest,
  HandshakeResponse,
  KmsEncryptionResult,
  RequestedClientAction,
} from "./messages.js";

/** §5.1: shells shake hands only for KMS; NonInteractiveCommands and Port always. */
export function needsHandshake(sessionType: string, kmsConfigured: boolean): boolean {
  if (sessionType === SessionType.NonInteractiveCommands || sessionType === SessionType.Port) return true;
  return kmsConfigured;
}

/** §5.1: the agent never encrypts Port sessions. */
export function kmsApplies(sessionType: string, kmsConfigured: boolean): boolean {
  return kmsConfigured && sessionType !== SessionType.Port;
}

export interface HandshakeRequestInput {
  agentVersion: string;
  sessionType: string;
  /** Document properties for Port; null for the shell family. */
  properties: unknown;
  /** When KMS applies: the key and the request's random challenge (base64 of 16 bytes). */
  kms?: { keyId: string; challenge: string };
}

/** SessionType first, KMSEncryption second (§5.3). */
export function buildHandshakeRequest(input: HandshakeRequestInput): HandshakeRequest {
  const actions: RequestedClientAction[] = [
    {
      ActionType: ActionType.SessionType,
      ActionParameters: { SessionType: input.sessionType, Properties: input.properties },
    },
  ];
  if (input.kms !== undefined)
    actions.push({
      ActionType: ActionType.KMSEncryption,
      ActionParameters: { KMSKeyId: input.kms.keyId, Challenge: input.kms.challenge },
    });
  return { AgentVersion: input.agentVersion, RequestedClientActions: actions };
}

export function newRequestChallenge(): string {
  return randomBytes(HANDSHAKE.requestChallengeBytes).toString("base64");
}

export type ResponseVerdict =
  | { ok: true; clientVersion: string; kms?: { ciphertextKey: Uint8Array; challengeAcknowledged: boolean } }
  | { ok: false; message: string };

/**
 * Judges a HandshakeResponse as the agent does (§5.4): any requested action not answered with status 1 fails
 * the session, in the words the agent uses (seed 000 shows them to the user).
 */
export function evaluateHandshakeResponse(
  response: HandshakeResponse,
  request: HandshakeRequest,
  options: { requireChallengeAcknowledgement: boolean },
): ResponseVerdict {
  const fail = (text: string): ResponseVerdict => ({
    ok: false,
    message: `Encountered error while initiating handshake. ${text}`,
  });
  let kms: { ciphertextKey: Uint8Array; challengeAcknowledged: boolean } | undefined;
  for (const requested of request.RequestedClientActions) {
    const answer = response.ProcessedClientActions.find((a) => a.ActionType === requested.ActionType);
    if (answer === undefined) return fail(`${requested.ActionType} was not processed by the client.`);
    if (answer.ActionStatus !== ActionStatus.Success)
      return fail(
        `${answer.ActionType} failed on client with status ${answer.ActionStatus} error: ${answer.Error}`,
      );
    if (requested.ActionType === ActionType.KMSEncryption) {
      const result = answer.ActionResult as Partial<KmsEncryptionResult> | null;
      const key = result?.KMSCipherTextKey;
      if (typeof key !== "string" || key === "")
        return fail("KMSEncryption result carries no KMSCipherTextKey.");
      const challengeAcknowledged = result?.ChallengeAcknowledgement === true;
      if (options.requireChallengeAcknowledgement && !challengeAcknowledged)
        return fail("The client did not acknowledge the KMS challenge; update the client.");
      kms = { ciphertextKey: Buffer.from(key, "base64"), challengeAcknowledged };
    }
  }
  return kms === undefined
    ? { ok: true, clientVersion: response.ClientVersion }
    : { ok: true, clientVersion: response.ClientVersion, kms };
}

/** The agent's 64 random challenge bytes (§5.5). */
export function newEncryptionChallenge(): Uint8Array {
  return randomBytes(HANDSHAKE.challengeBytes);
}

export function challengeMatches(expected: Uint8Array, answered: Uint8Array): boolean {
  return expected.length === answered.length && timingSafeEqual(expected, answered);
}
