// Synthesizes the example app, loads its template into an in-process sandbox and shows, with real AWS SDK
// calls, what its operators may and may not do: `npx tsx examples/article-stack/demo.ts`.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EC2Client, StopInstancesCommand } from "@aws-sdk/client-ec2";
import { IAMClient, ListAccessKeysCommand, ListMFADevicesCommand } from "@aws-sdk/client-iam";
import { SSMClient, StartSessionCommand, TerminateSessionCommand } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
// Sources, not the packages' builds, so the demo runs through tsx without a build.
import { mfaCodeFor, startSandbox } from "../../packages/sandbox/src/index.js";
import {
  formatFinding,
  loadTemplatesIntoWorld,
} from "../../packages/sandbox/src/world/cloudformation/index.js";
import { ARTICLE_ACCOUNT, ARTICLE_REGION } from "./article-stack.js";
import { synthesizeArticleStack } from "./synth.js";

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

async function show(label: string, call: () => Promise<unknown>): Promise<unknown> {
  try {
    const answer = await call();
    console.log(`  allowed  ${label}`);
    return answer;
  } catch (error) {
    const { name, message } = error as Error;
    console.log(`  DENIED   ${label}\n           ${name}: ${message}`);
    return undefined;
  }
}

const work = mkdtempSync(join(tmpdir(), "tobira-article-demo-"));
try {
  const template = synthesizeArticleStack(join(work, "cdk.out"));
  console.log(`Synthesized ${template}`);
  const { world, notes } = loadTemplatesIntoWorld(template, {
    account: ARTICLE_ACCOUNT,
    region: ARTICLE_REGION,
  });
  for (const note of notes) console.log(`  note: ${formatFinding(note).replace(template, "template")}`);
  const stateDir = join(work, "sandbox");
  const sandbox = await startSandbox({ world, stateDir });
  try {
    const client = <T>(Client: new (config: object) => T, credentials: Credentials) =>
      new Client({ endpoint: sandbox.endpoint, region: ARTICLE_REGION, credentials, maxAttempts: 1 });
    const user = world.users.find((u) => u.name === "operator1")!;
    const keys = { accessKeyId: user.accessKeys[0]!.id, secretAccessKey: user.accessKeys[0]!.secret };
    const serial = user.mfaDevices[0]!.serial;
    const role = (runAs: string) => world.roles.find((r) => r.tags.SSMSessionRunAs === runAs)!;
    const instance = (name: string) => world.instances.find((i) => i.name === name)!.id;

    console.log("\noperator1 with its access key, before an MFA sign-in:");
    await show("iam:ListMFADevices (set up MFA)", () =>
      client(IAMClient, keys).send(new ListMFADevicesCommand({})),
    );
    await show("iam:ListAccessKeys", () => client(IAMClient, keys).send(new ListAccessKeysCommand({})));
    await show("sts:AssumeRole project-1 role without MFA", () =>
      client(STSClient, keys).send(
        new AssumeRoleCommand({ RoleArn: role("os-user1").arn, RoleSessionName: "operator1" }),
      ),
    );

    console.log("\noperator1 with MFA:");
    await show("sts:AssumeRole project-2 role (not trusted)", async () =>
      client(STSClient, keys).send(
        new AssumeRoleCommand({
          RoleArn: role("os-user2").arn,
          RoleSessionName: "operator1",
          SerialNumber: serial,
          TokenCode: await mfaCodeFor(stateDir, serial),
        }),
      ),
    );
    const assumed = (await show("sts:AssumeRole project-1 role", async () =>
      client(STSClient, keys).send(
        new AssumeRoleCommand({
          RoleArn: role("os-user1").arn,
          RoleSessionName: "operator1",
          SerialNumber: serial,
          TokenCode: await mfaCodeFor(stateDir, serial, {
            onWait: (s) => console.log(`           (next MFA code in ${s} s)`),
          }),
        }),
      ),
    )) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } };
    const p1 = {
      accessKeyId: assumed.Credentials.AccessKeyId,
      secretAccessKey: assumed.Credentials.SecretAccessKey,
      sessionToken: assumed.Credentials.SessionToken,
    };

    console.log("\nas the project-1 role (Project=Test Project 1, SSMSessionRunAs=os-user1):");
    const ssm = client(SSMClient, p1);
    const shell = (await show("ssm:StartSession shell on project1-web", () =>
      ssm.send(new StartSessionCommand({ Target: instance("project1-web") })),
    )) as { SessionId: string } | undefined;
    await show("ssm:StartSession shell on project2-web", () =>
      ssm.send(new StartSessionCommand({ Target: instance("project2-web") })),
    );
    await show("ssm:StartSession AWS-StartSSHSession (document not given)", () =>
      ssm.send(
        new StartSessionCommand({
          Target: instance("project1-web"),
          DocumentName: "AWS-StartSSHSession",
          Parameters: { portNumber: ["22"] },
        }),
      ),
    );
    if (shell)
      await show("ssm:TerminateSession its own session", () =>
        ssm.send(new TerminateSessionCommand({ SessionId: shell.SessionId })),
      );
    await show("ec2:StopInstances project1-web", () =>
      client(EC2Client, p1).send(new StopInstancesCommand({ InstanceIds: [instance("project1-web")] })),
    );
    await show("ec2:StopInstances project2-web", () =>
      client(EC2Client, p1).send(new StopInstancesCommand({ InstanceIds: [instance("project2-web")] })),
    );
  } finally {
    await sandbox.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
