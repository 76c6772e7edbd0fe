// Errors of the credential path, each with a message a user can act on and a hint; no secret ever in the text.
import { AwsRefusedError, TobiraError } from "../errors.js";

/** A duration, session name or other chain setting that AWS would refuse before we even call it. */
export class CredentialSettingError extends TobiraError {
  override name = "CredentialSettingError";
}

/** No long-term keys for the source profile in the vault. */
export class MissingLongTermKeysError extends TobiraError {
  override name = "MissingLongTermKeysError";
  constructor(profile: string) {
    super(`no access key is stored for profile '${profile}'`, {
      hint: `store the IAM user's key with: tobira add ${profile}`,
    });
  }
}

/** STS refused a call; the message names the call, the profile and AWS's reason. */
export class StsCallError extends AwsRefusedError {
  override name = "StsCallError";
}

/** Another process held the credential lock far longer than any prompt should take. */
export class CredentialLockTimeoutError extends TobiraError {
  override name = "CredentialLockTimeoutError";
}
