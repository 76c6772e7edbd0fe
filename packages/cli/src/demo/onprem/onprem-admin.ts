// The administrator's side of the on-premises demo: alice signs in with MFA, switches into hybrid-admin, and
// creates hybrid activations for SSMHybridNodeRole, through the AWS SDK.
import { CreateActivationCommand, DescribeInstanceInformationCommand, SSMClient } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import type { DemoContext, TemporaryCredentials } from "../demo-context.js";

const ALICE_MFA = "arn:aws:iam::111111111111:mfa/alice";
const ADMIN_ROLE = "arn:aws:iam::222222222222:role/hybrid-admin";

function temporary(
  c:
    | {
        AccessKeyId?: string | undefined;
        SecretAccessKey?: string | undefined;
        SessionToken?: string | undefined;
      }
    | undefined,
): TemporaryCredentials {
  return {
    accessKeyId: c?.AccessKeyId ?? "",
    secretAccessKey: c?.SecretAccessKey ?? "",
    sessionToken: c?.SessionToken ?? "",
  };
}

export async function adminSsm(demo: DemoContext): Promise<SSMClient> {
  const cached = demo.shared.get("adminSsm") as SSMClient | undefined;
  if (cached) return cached;
  const code = await demo.mfaCode(ALICE_MFA);
  const mfa = await demo
    .sts("alice")
    .send(new GetSessionTokenCommand({ SerialNumber: ALICE_MFA, TokenCode: code }));
  const role = await demo
    .stsWith(temporary(mfa.Credentials))
    .send(new AssumeRoleCommand({ RoleArn: ADMIN_ROLE, RoleSessionName: "alice" }));
  const ssm = new SSMClient({
    region: demo.world.region,
    endpoint: demo.endpoint,
    credentials: temporary(role.Credentials),
    maxAttempts: 3,
  });
  demo.shared.set("adminSsm", ssm);
  return ssm;
}

export interface Activation {
  id: string;
  code: string;
}

export async function createActivation(demo: DemoContext): Promise<Activation | undefined> {
  const ssm = await adminSsm(demo);
  const created = await demo.call(
    "ssm:CreateActivation for SSMHybridNodeRole (Project=project-a)",
    "allowed",
    () =>
      ssm.send(
        new CreateActivationCommand({
          IamRole: "SSMHybridNodeRole",
          DefaultInstanceName: "onprem-1",
          RegistrationLimit: 1,
          Tags: [{ Key: "Project", Value: "project-a" }],
        }),
      ),
  );
  if (!created.ok) return undefined;
  const id = created.value.ActivationId ?? "";
  const code = created.value.ActivationCode ?? "";
  demo.show([
    ["ActivationId", id],
    ["ActivationCode", `${code.slice(0, 4)}… (a password: shown once, kept by SSM only as a hash)`],
  ]);
  return { id, code };
}

export async function pingStatus(demo: DemoContext, nodeId: string): Promise<string> {
  const ssm = await adminSsm(demo);
  const answer = await ssm.send(
    new DescribeInstanceInformationCommand({ Filters: [{ Key: "InstanceIds", Values: [nodeId] }] }),
  );
  return answer.InstanceInformationList?.[0]?.PingStatus ?? "(not listed)";
}
