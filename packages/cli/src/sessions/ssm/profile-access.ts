// A profile's way into AWS for the session commands: its credentials (one MFA prompt, cached), region and
// endpoint, and the SSM, EC2 and KMS clients built on exactly those credentials.
//
// The clients get the credentials as static values: nothing below re-resolves the profile, which is what makes
// KMS work under an MFA role (session-manager-plugin rebuilds credentials from the profile name and cannot ask
// for a code). The EC2 client is loaded on first use only: @aws-sdk/client-ec2 alone costs ~80 MB of memory,
// and a session to an i-…/mi-… id, a tunnel, never needs it.
import type { EC2Client } from "@aws-sdk/client-ec2";
import { KMSClient } from "@aws-sdk/client-kms";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { AwsCredentials } from "../../credentials/ports.js";
import {
  credentialsForProfile,
  type ProfileCredentialOptions,
} from "../../credentials/profile-credentials.js";
import { UsageError } from "../../errors.js";

export interface ProfileAccess {
  profile: string;
  credentials: AwsCredentials;
  /** The role these credentials are for and the session tags its AssumeRole passed; absent for a user. */
  role?: { arn: string; sessionTags: Record<string, string> };
  region: string;
  endpointUrl?: string;
  ssm: SSMClient;
  kms: KMSClient;
  /** The EC2 client, loaded and built on the first call (the same one after). */
  ec2(): Promise<EC2Client>;
  /** Releases the clients' sockets so the process can end. */
  close(): void;
}

export interface ProfileAccessOptions extends ProfileCredentialOptions {
  /** --region; else the profile's region, else AWS_REGION / AWS_DEFAULT_REGION. */
  region?: string;
}

/** The profile to use: --profile, else AWS_PROFILE, else "default" (as the AWS CLI chooses). */
export function chosenProfile(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE ?? "default";
}

export async function openProfileAccess(
  profile: string,
  options: ProfileAccessOptions = {},
): Promise<ProfileAccess> {
  const env = options.env ?? process.env;
  const resolved = await credentialsForProfile(profile, options);
  const region = options.region ?? resolved.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region === undefined || region === "") {
    throw new UsageError(`profile '${profile}' names no region`, {
      hint: `add \`region = …\` to [profile ${profile}] in your AWS config, or pass --region`,
    });
  }
  const access = accessFromCredentials(profile, resolved.credentials, region, resolved.endpointUrl);
  const last = resolved.plan.steps.at(-1);
  if (last?.kind === "assume-role") access.role = { arn: last.roleArn, sessionTags: last.sessionTags ?? {} };
  return access;
}

/** The clients for credentials already in hand (also what tests and other commands build on). */
export function accessFromCredentials(
  profile: string,
  credentials: AwsCredentials,
  region: string,
  endpointUrl?: string,
): ProfileAccess {
  const config = {
    region,
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
      ...(credentials.expiration === undefined ? {} : { expiration: new Date(credentials.expiration) }),
    },
    ...(endpointUrl === undefined ? {} : { endpoint: endpointUrl }),
  };
  const ssm = new SSMClient(config);
  const kms = new KMSClient(config);
  let ec2: Promise<EC2Client> | undefined;
  return {
    profile,
    credentials,
    region,
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
    ssm,
    kms,
    ec2() {
      ec2 ??= import("@aws-sdk/client-ec2").then(({ EC2Client }) => new EC2Client(config));
      return ec2;
    },
    close() {
      ssm.destroy();
      kms.destroy();
      // A client still loading is released once it is there; a failed load left nothing to release.
      ec2?.then(
        (client) => client.destroy(),
        () => {},
      );
    },
  };
}
