// The administrator's side of the hybrid tests: alice (MFA) as hybrid-admin through the AWS SDK, creating
// activations on the sandbox; and a registered simulated node in a folder of the test's.
import { join } from "node:path";
import { CreateActivationCommand, SSMClient } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { mfaCodeFor } from "@tobira/sandbox";
import { ALICE_MFA, type SandboxUser } from "../fixtures/sandbox-user.js";

export const REGION = "ap-northeast-1";

export async function hybridAdmin(fx: SandboxUser): Promise<SSMClient> {
  const endpoint = fx.sandbox.endpoint;
  const sts = new STSClient({ endpoint, region: REGION, credentials: fx.aliceKey });
  const code = await mfaCodeFor(fx.stateDir, ALICE_MFA);
  const mfa = (await sts.send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: code })))
    .Credentials!;
  const role = await new STSClient({
    endpoint,
    region: REGION,
    credentials: {
      accessKeyId: mfa.AccessKeyId!,
      secretAccessKey: mfa.SecretAccessKey!,
      sessionToken: mfa.SessionToken!,
    },
  }).send(
    new AssumeRoleCommand({
      RoleArn: "arn:aws:iam::222222222222:role/hybrid-admin",
      RoleSessionName: "admin",
    }),
  );
  const c = role.Credentials!;
  return new SSMClient({
    endpoint,
    region: REGION,
    credentials: {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    },
  });
}

export async function newActivation(admin: SSMClient): Promise<{ id: string; code: string }> {
  const created = await admin.send(
    new CreateActivationCommand({
      IamRole: "SSMHybridNodeRole",
      DefaultInstanceName: "onprem-1",
      RegistrationLimit: 2,
      Tags: [{ Key: "Project", Value: "project-a" }],
    }),
  );
  return { id: created.ActivationId!, code: created.ActivationCode! };
}

/**
 * The argv of `tobira sandbox node register` against the fixture's sandbox: the code read from stdin ("-") unless
 * given, the node folder when there is one. Tests that expect a refusal run it as it is; `registerNode` adds --json.
 */
export function registerArgs(
  fx: SandboxUser,
  activationId: string,
  options: { nodeDir?: string; code?: string } = {},
): string[] {
  return [
    "sandbox",
    "node",
    "register",
    "--code",
    options.code ?? "-",
    "--id",
    activationId,
    "--region",
    REGION,
    "--state",
    fx.stateDir,
    ...(options.nodeDir === undefined ? [] : ["--node-dir", options.nodeDir]),
  ];
}

/** `tobira sandbox node register` of a new node folder under the fixture's root, the code on stdin. */
export async function registerNode(
  fx: SandboxUser,
  activation: { id: string; code: string },
  nodeDir = join(fx.root, "node"),
  extra: string[] = [],
): Promise<{ nodeId: string; nodeDir: string; report: Record<string, unknown> }> {
  const result = await fx.tobira([...registerArgs(fx, activation.id, { nodeDir }), "--json", ...extra], {
    input: activation.code,
  });
  if (result.code !== 0) throw new Error(`register failed: ${result.stderr}`);
  const report = JSON.parse(result.stdout) as { nodeId: string };
  return { nodeId: report.nodeId, nodeDir, report };
}
