// Credentials for the workload account obtained as an operator would (IAM user → GetSessionToken with MFA →
// AssumeRole into a project role), SSM/KMS/EC2 clients on the sandbox in the world's Region, and a describe
// block's sandbox with alice's project-a-operator in it.

import { before } from "node:test";
import { EC2Client } from "@aws-sdk/client-ec2";
import { KMSClient } from "@aws-sdk/client-kms";
import { SSMClient } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import {
  type Credentials,
  credentialsOf,
  type SandboxSuite,
  sandboxSuite,
  type startTestSandbox,
  type TestSandbox,
} from "../server/sandbox-fixture.js";

export const REGION = "ap-northeast-1";
export const WORKLOAD = "222222222222";
export const WEB_A = "i-0a1a0000000000001";
export const DB_A = "i-0a1a0000000000002";
export const WEB_B = "i-0b1b0000000000001";
export const SESSION_KEY_ARN = `arn:aws:kms:${REGION}:${WORKLOAD}:key/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0`;

export const roleArn = (name: string) => `arn:aws:iam::${WORKLOAD}:role/${name}`;

/** `user` signs in with MFA once (GetSessionToken), then assumes each role with that MFA session. */
export async function operatorRoles(
  t: TestSandbox,
  user: "alice" | "bob",
  roles: string[],
): Promise<Record<string, Credentials>> {
  const serial = `arn:aws:iam::111111111111:mfa/${user}`;
  const mfaSession = credentialsOf(
    await t
      .sts(t.keysOf(user))
      .send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: t.code(serial) })),
  );
  const out: Record<string, Credentials> = {};
  for (const role of roles) {
    out[role] = credentialsOf(
      await t
        .sts(mfaSession)
        .send(new AssumeRoleCommand({ RoleArn: roleArn(role), RoleSessionName: `${user}-session` })),
    );
  }
  return out;
}

export function clients(t: TestSandbox, credentials: Credentials) {
  const config = { endpoint: t.sandbox.endpoint, region: REGION, credentials, maxAttempts: 1 };
  return { ssm: new SSMClient(config), kms: new KMSClient(config), ec2: new EC2Client(config) };
}

export type Operator = Awaited<ReturnType<typeof projectAOperator>>;

/** alice → MFA → project-a-operator, with its clients; once per sandbox (a TOTP code is accepted once). */
export async function projectAOperator(t: TestSandbox) {
  const credentials = (await operatorRoles(t, "alice", ["project-a-operator"]))["project-a-operator"]!;
  return { credentials, ...clients(t, credentials) };
}

/** The sandbox of one describe block and alice's project-a-operator in it, ready before its tests. */
export interface OperatorSuite extends SandboxSuite {
  op: Operator;
}

/** Starts a sandbox before the surrounding describe block's tests (disposed after them), with the operator in it. */
export function operatorSuite(options: Parameters<typeof startTestSandbox>[0] = {}): OperatorSuite {
  const suite = sandboxSuite(options) as OperatorSuite;
  before(async () => {
    suite.op = await projectAOperator(suite.t);
  });
  return suite;
}
