// A profile's credentials as an AWS SDK v3 credential provider: what a program passes as `credentials` to any
// client, so the client signs with tobira's chain (vault key, one MFA code per working session, the cache).
import { credentialsForProfile, type ProfileCredentialOptions } from "./profile-credentials.js";

/** The shape the SDK's clients take (AwsCredentialIdentity of @smithy/types), without depending on it. */
export interface SdkCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/**
 * `new STSClient({ credentials: profileCredentialProvider("switch") })`. The SDK calls the provider again when
 * the credentials near their expiry; each call is a cache hit until tobira's own five-minute margin.
 */
export function profileCredentialProvider(
  profile: string,
  options: ProfileCredentialOptions = {},
): () => Promise<SdkCredentials> {
  return async () => {
    const { credentials } = await credentialsForProfile(profile, options);
    return {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
      ...(credentials.expiration === undefined ? {} : { expiration: new Date(credentials.expiration) }),
    };
  };
}
