// The Version 1 JSON a `credential_process` prints: what the AWS CLI and every SDK read from its stdout (pure).
import type { AwsCredentials } from "../../credentials/ports.js";

export function credentialProcessJson(credentials: AwsCredentials): string {
  const body: Record<string, string | number> = {
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
  };
  if (credentials.sessionToken !== undefined) body.SessionToken = credentials.sessionToken;
  // Without Expiration the SDKs cache the answer forever; long-term keys are the only credentials without one.
  if (credentials.expiration !== undefined) body.Expiration = credentials.expiration;
  return `${JSON.stringify(body)}\n`;
}
