// Checks what a user typed as a long-term access key, and shows key ids without printing them whole.
import { UsageError } from "../errors.js";

/** A profile name as ~/.aws/config can hold it: no spaces, brackets or control characters. */
export function checkProfileName(profile: string): void {
  if (!/^[A-Za-z0-9_.@+\-/]{1,128}$/.test(profile)) {
    throw new UsageError(`'${profile.replace(/[^\x20-\x7e]/g, "?")}' is not a usable profile name`, {
      hint: "use letters, digits and - _ . @ + / (as in [profile NAME] of ~/.aws/config)",
    });
  }
}

/** An IAM user's access key id: AKIA and 16 or more capitals and digits. ASIA ids are temporary, so refused. */
export function checkAccessKeyId(accessKeyId: string): void {
  if (accessKeyId.startsWith("ASIA")) {
    throw new UsageError("that access key id (ASIA…) belongs to temporary credentials, which expire", {
      hint: "store the IAM user's long-term key (AKIA…); tobira makes the temporary ones itself",
    });
  }
  if (!/^AKIA[A-Z0-9]{12,124}$/.test(accessKeyId)) {
    throw new UsageError("that is not an IAM user's access key id (AKIA followed by capitals and digits)", {
      hint: "copy the 'Access key ID' column of the IAM console or of `aws iam list-access-keys`",
    });
  }
}

/** A secret access key: 40 characters of base64 in practice; refuse anything with spaces or control characters.
 *  The message never repeats what was typed. */
export function checkSecretAccessKey(secret: string): void {
  if (!/^[\x21-\x7e]{16,128}$/.test(secret)) {
    throw new UsageError("that does not look like a secret access key (40 characters, no spaces)", {
      hint: "paste the 'Secret access key' shown once when the key was created",
    });
  }
}

/** "AKIA…7XZA": enough to tell keys apart in a listing, without printing the id whole. */
export function maskAccessKeyId(accessKeyId: string): string {
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}
