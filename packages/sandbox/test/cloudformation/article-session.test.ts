// The example stack's project-1 role opens a real shell (gateway, agent, pty) on its project's instance, as the
// OS user of its SSMSessionRunAs tag: the template's preferences and tags reach the agent as AWS's would.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { KMSClient } from "@aws-sdk/client-kms";
import { SSMClient, TerminateSessionCommand } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { openSession } from "../gateway/session-client.js";
import { credentialsOf, startTestSandbox, type TestSandbox } from "../server/sandbox-fixture.js";
import { type ArticleWorld, loadArticleWorld, ARTICLE_REGION as R } from "./article-world.js";

describe("the example stack's session role in a real shell", () => {
  const loaded: ArticleWorld = loadArticleWorld();
  const operator1 = loaded.world.users.find((u) => u.name === "operator1")!;
  let sandbox: TestSandbox;
  before(async () => {
    sandbox = await startTestSandbox({ world: loaded.world });
  });
  after(async () => {
    await sandbox.dispose();
    loaded.dispose();
  });

  it("runs the shell as the role's SSMSessionRunAs user, KMS-encrypted, and ends it as its owner", async () => {
    const serial = operator1.mfaDevices[0]!.serial;
    const answer = await sandbox.sts(sandbox.keysOf("operator1")).send(
      new AssumeRoleCommand({
        RoleArn: loaded.project1Role.arn,
        RoleSessionName: "operator1",
        SerialNumber: serial,
        TokenCode: sandbox.code(serial),
      }),
    );
    const credentials = credentialsOf(answer);
    const endpoint = sandbox.sandbox.endpoint;
    const ssm = new SSMClient({ endpoint, region: R, credentials, maxAttempts: 1 });
    const kms = new KMSClient({ endpoint, region: R, credentials, maxAttempts: 1 });
    try {
      const target = loaded.instances.project1.id;
      const session = await openSession({ ssm, kms, credentials, start: { Target: target } });
      const info = await session.ready;
      assert.equal(info.encrypted, true);
      const runAs = loaded.project1Role.tags.SSMSessionRunAs;
      assert.equal(runAs, "os-user1");
      await session.channel.sendInput(Buffer.from("echo run-as=$USER\r"));
      let timer: NodeJS.Timeout | undefined;
      const tooLong = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no run-as=${runAs} line in: ${session.output()}`)),
          20_000,
        );
      });
      await Promise.race([session.waitFor(`run-as=${runAs}\r\n`), tooLong]).finally(() =>
        clearTimeout(timer),
      );
      // The article's shell profile starts bash inside the agent's sh, so `exit` would only leave bash: the
      // owner ends the session the way the console's Terminate button does.
      await ssm.send(new TerminateSessionCommand({ SessionId: session.sessionId }));
      const end = await session.ended;
      assert.equal(end.reason, "channel-closed");
    } finally {
      ssm.destroy();
      kms.destroy();
    }
  });
});
