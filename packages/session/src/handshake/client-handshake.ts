// The client's answer to a HandshakeRequest (§5.4, §6.1): session type, and the KMS data key when asked.

import { ActionStatus, ActionType, ENCRYPTION } from "../constants.js";
import { type DirectionalKeys, sessionEncryptionContext, splitDataKey } from "../crypto/data-key.js";
import { DataKeyError, describeError } from "../errors.js";
import type { GenerateDataKey } from "./data-key-functions.js";
import {
  type HandshakeRequest,
  type HandshakeResponse,
  type KmsEncryptionResult,
  kmsEncryptionParameters,
  type ProcessedClientAction,
  sessionTypeParameters,
} from "./messages.js";

export interface ClientHandshakeOptions {
  clientVersion: string;
  /** Session types this client can run; others are answered Failed (§3.5). */
  supportedSessionTypes: readonly string[];
  /** For the encryption context; required when the agent asks for KMS. */
  sessionId?: string;
  targetId?: string;
  generateDataKey?: GenerateDataKey;
  /**
   * Acknowledge the agent's `Challenge` by adding `aws:ssm:RandomChallenge` to the encryption context (§6.4).
   * Off by default: the official plugin never does, and every agent accepts that.
   */
  acknowledgeChallenge?: boolean;
}

export interface ClientHandshakeOutcome {
  response: HandshakeResponse;
  agentVersion: string;
  sessionType?: string;
  properties: unknown;
  /** Present when KMS encryption was accepted. */
  keys?: DirectionalKeys;
  /** The first failed action's error, as a typed error for the caller (the agent will end the session). */
  failure?: DataKeyError;
}

/** Answers every requested action, in order. Never throws: failures become ActionStatus 2 entries. */
export async function answerHandshakeRequest(
  request: HandshakeRequest,
  options: ClientHandshakeOptions,
): Promise<ClientHandshakeOutcome> {
  const processed: ProcessedClientAction[] = [];
  const errors: string[] = [];
  const outcome: Omit<ClientHandshakeOutcome, "response"> = {
    agentVersion: request.AgentVersion,
    properties: null,
  };

  const fail = (actionType: string, status: number, text: string): void => {
    processed.push({ ActionType: actionType, ActionStatus: status, ActionResult: null, Error: text });
    errors.push(text);
  };

  for (const action of request.RequestedClientActions) {
    if (action.ActionType === ActionType.SessionType) {
      const params = sessionTypeParameters(action);
      if (params === undefined || !options.supportedSessionTypes.includes(params.SessionType)) {
        fail(
          action.ActionType,
          ActionStatus.Failed,
          `Unknown session type ${params?.SessionType ?? "(none)"}`,
        );
        continue;
      }
      outcome.sessionType = params.SessionType;
      outcome.properties = params.Properties;
      processed.push({
        ActionType: action.ActionType,
        ActionStatus: ActionStatus.Success,
        ActionResult: null,
        Error: "",
      });
    } else if (action.ActionType === ActionType.KMSEncryption) {
      const kms = await produceDataKey(action, options);
      if ("error" in kms) {
        const text = `Failed to process action ${ActionType.KMSEncryption}: ${kms.error}`;
        fail(action.ActionType, ActionStatus.Failed, text);
        outcome.failure ??= new DataKeyError(
          `KMS encryption failed: ${kms.error}`,
          "The session's preferences ask for KMS encryption: the credentials used must allow kms:GenerateDataKey on the session key.",
        );
        continue;
      }
      outcome.keys = kms.keys;
      processed.push({
        ActionType: action.ActionType,
        ActionStatus: ActionStatus.Success,
        ActionResult: kms.result,
        Error: "",
      });
    } else {
      // Unlike the plugin (which leaves ActionStatus 0), say plainly that this action is not supported.
      fail(action.ActionType, ActionStatus.Unsupported, `Unsupported action ${action.ActionType}`);
    }
  }
  return {
    ...outcome,
    response: {
      ClientVersion: options.clientVersion,
      ProcessedClientActions: processed,
      Errors: errors.length > 0 ? errors : null,
    },
  };
}

async function produceDataKey(
  action: HandshakeRequest["RequestedClientActions"][number],
  options: ClientHandshakeOptions,
): Promise<{ keys: DirectionalKeys; result: KmsEncryptionResult } | { error: string }> {
  const params = kmsEncryptionParameters(action);
  if (params === undefined) return { error: "the request names no KMSKeyId" };
  if (options.generateDataKey === undefined) return { error: "this client was given no way to call KMS" };
  if (options.sessionId === undefined || options.targetId === undefined)
    return { error: "the session id and target are needed for the KMS encryption context" };
  const acknowledge = options.acknowledgeChallenge === true && params.Challenge !== undefined;
  const encryptionContext = sessionEncryptionContext(
    options.sessionId,
    options.targetId,
    acknowledge ? params.Challenge : undefined,
  );
  try {
    const key = await options.generateDataKey({
      keyId: params.KMSKeyId,
      encryptionContext,
      numberOfBytes: ENCRYPTION.dataKeyBytes,
    });
    const keys = splitDataKey(key.plaintext, "client");
    const result: KmsEncryptionResult = {
      KMSCipherTextKey: Buffer.from(key.ciphertextBlob).toString("base64"),
      KMSCipherTextHash: null,
    };
    if (acknowledge) result.ChallengeAcknowledgement = true;
    return { keys, result };
  } catch (error) {
    return { error: describeError(error) };
  }
}
