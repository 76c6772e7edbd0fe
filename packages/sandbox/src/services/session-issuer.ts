// Issues temporary credentials: mints the key, secret and token, stores the session in the state, and
// writes the <Credentials> element STS returns.

import { newAccessKeyId, newSecretAccessKey, newSessionToken } from "../auth/key-issuer.js";
import type { XmlObject } from "../protocol/xml.js";
import type { ServiceCall } from "../server/runtime.js";
import type { IssuedSession } from "../state/sandbox-state.js";

export type SessionFacts = Omit<
  IssuedSession,
  "accessKeyId" | "secretAccessKey" | "sessionToken" | "issuedAt" | "expiration"
>;

export function issueSession(call: ServiceCall, facts: SessionFacts, durationSeconds: number): IssuedSession {
  const session: IssuedSession = {
    ...facts,
    accessKeyId: newAccessKeyId("temporary"),
    secretAccessKey: newSecretAccessKey(),
    sessionToken: newSessionToken(),
    issuedAt: new Date(call.now).toISOString(),
    expiration: new Date(call.now + durationSeconds * 1000).toISOString(),
  };
  call.runtime.state.addSession(session);
  return session;
}

export function credentialsXml(session: IssuedSession): XmlObject {
  return {
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secretAccessKey,
    SessionToken: session.sessionToken,
    Expiration: session.expiration,
  };
}
