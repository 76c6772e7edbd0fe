// The IAM calls a key rotation makes, through the AWS SDK: list, create and delete the user's own access keys,
// and find the user's MFA device when the profile names none. Errors become one line naming the call.
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
} from "@aws-sdk/client-iam";
import type { AwsCredentials } from "../credentials/ports.js";
import { AwsRefusedError } from "../errors.js";

/** IAM refused a call; the message names the call and AWS's reason. */
export class IamCallError extends AwsRefusedError {
  override name = "IamCallError";
}

export interface IamTarget {
  region: string;
  endpointUrl?: string;
}

export interface AccessKeyInfo {
  accessKeyId: string;
  status: string;
}

export interface NewAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  userName: string;
}

async function withIam<T>(
  credentials: AwsCredentials,
  target: IamTarget,
  what: string,
  run: (iam: IAMClient) => Promise<T>,
): Promise<T> {
  const iam = new IAMClient({
    region: target.region,
    ...(target.endpointUrl === undefined ? {} : { endpoint: target.endpointUrl }),
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
    },
    // CreateAccessKey must not be retried blindly: a retry after a lost answer would make a second key.
    maxAttempts: 1,
  });
  try {
    return await run(iam);
  } catch (error) {
    if (error instanceof IamCallError) throw error;
    const e = error as { name?: string; message?: string };
    const hint =
      e.name === "AccessDenied"
        ? "managing access keys needs MFA under most policies: give the profile mfa_serial (and a way to get codes)"
        : e.name === "LimitExceeded"
          ? "IAM allows two access keys per user: delete the one tobira does not use (aws iam delete-access-key), then rotate again"
          : "run with TOBIRA_DEBUG=1 for details";
    throw new IamCallError(`${what} failed: ${e.name ? `${e.name}: ` : ""}${e.message ?? String(error)}`, {
      ...(e.name === undefined ? {} : { code: e.name }),
      hint,
      cause: error,
    });
  } finally {
    iam.destroy();
  }
}

export function listAccessKeys(credentials: AwsCredentials, target: IamTarget): Promise<AccessKeyInfo[]> {
  return withIam(credentials, target, "ListAccessKeys", async (iam) => {
    const out = await iam.send(new ListAccessKeysCommand({}));
    return (out.AccessKeyMetadata ?? []).map((key) => ({
      accessKeyId: key.AccessKeyId ?? "",
      status: key.Status ?? "",
    }));
  });
}

export function createAccessKey(credentials: AwsCredentials, target: IamTarget): Promise<NewAccessKey> {
  return withIam(credentials, target, "CreateAccessKey", async (iam) => {
    const key = (await iam.send(new CreateAccessKeyCommand({}))).AccessKey;
    if (!key?.AccessKeyId || !key.SecretAccessKey || !key.UserName) {
      throw new IamCallError("CreateAccessKey answered without a complete key", {
        hint: "the IAM endpoint is not behaving like AWS; check endpoint_url",
      });
    }
    return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, userName: key.UserName };
  });
}

export function deleteAccessKey(
  credentials: AwsCredentials,
  target: IamTarget,
  accessKeyId: string,
): Promise<void> {
  return withIam(credentials, target, `DeleteAccessKey of ${accessKeyId}`, async (iam) => {
    await iam.send(new DeleteAccessKeyCommand({ AccessKeyId: accessKeyId }));
  });
}

/** The caller's MFA device serials (ListMFADevices on oneself needs no MFA under the usual policies). */
export function listMfaSerials(credentials: AwsCredentials, target: IamTarget): Promise<string[]> {
  return withIam(credentials, target, "ListMFADevices", async (iam) => {
    const out = await iam.send(new ListMFADevicesCommand({}));
    return (out.MFADevices ?? []).flatMap((device) => (device.SerialNumber ? [device.SerialNumber] : []));
  });
}
