import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  DescribeDocumentCommand,
  DescribeInstanceInformationCommand,
  DescribeSessionsCommand,
  GetConnectionStatusCommand,
  GetDocumentCommand,
  ResumeSessionCommand,
  type SSMClient,
  StartSessionCommand,
  TerminateSessionCommand,
} from "@aws-sdk/client-ssm";
import { findSessionByToken, runAsFor } from "../../src/services/ssm/session-store.js";
import { awsError, startTestSandbox, type TestSandbox } from "../server/sandbox-fixture.js";
import { clients, DB_A, operatorRoles, REGION, WEB_A, WEB_B, WORKLOAD } from "./workload-clients.js";

describe("Session Manager control plane against the default world", () => {
  let t: TestSandbox;
  let alice: SSMClient;
  let bob: SSMClient;
  let reader: SSMClient;
  before(async () => {
    t = await startTestSandbox();
    const aliceRoles = await operatorRoles(t, "alice", ["project-a-operator", "Role-for-switch"]);
    const bobRoles = await operatorRoles(t, "bob", ["project-a-operator"]);
    alice = clients(t, aliceRoles["project-a-operator"]!).ssm;
    reader = clients(t, aliceRoles["Role-for-switch"]!).ssm;
    bob = clients(t, bobRoles["project-a-operator"]!).ssm;
  });
  after(() => t.dispose());

  it("starts a session on the own project's instance with an AWS-formed id, stream URL and token", async () => {
    const started = await alice.send(new StartSessionCommand({ Target: WEB_A, Reason: "check logs" }));
    assert.match(started.SessionId!, /^alice-session-[a-z0-9]{26}$/);
    const port = new URL(t.sandbox.endpoint).port;
    assert.equal(
      started.StreamUrl!.split("&")[0],
      `ws://127.0.0.1:${port}/v1/data-channel/${started.SessionId}?role=publish_subscribe`,
    );
    assert.match(started.StreamUrl!, /&cell-number=[A-Za-z0-9_-]+$/);
    assert.ok(started.TokenValue && started.TokenValue.length >= 64);

    const session = findSessionByToken(t.sandbox.host.runtime, started.TokenValue);
    assert.equal(session?.sessionId, started.SessionId);
    assert.equal(session?.target, WEB_A);
    assert.equal(session?.documentName, "SSM-SessionManagerRunShell");
    assert.equal(session?.sessionType, "Standard_Stream");
    assert.equal(session?.reason, "check logs");
    assert.equal(
      session?.principal.arn,
      `arn:aws:sts::${WORKLOAD}:assumed-role/project-a-operator/alice-session`,
    );
    assert.equal(session?.preferences.kmsKeyId, "alias/session-manager");
    assert.deepEqual(runAsFor(session!), { kind: "user", user: "os-user1", source: "SSMSessionRunAs tag" });
    assert.equal(findSessionByToken(t.sandbox.host.runtime, `${started.TokenValue}x`), undefined);
    // The token opens the data channel: state.json keeps only its hash.
    assert.ok(!readFileSync(join(t.stateDir, "state.json"), "utf8").includes(started.TokenValue));
  });

  it("denies another project's instance in AWS's words", async () => {
    const denied = await awsError(alice.send(new StartSessionCommand({ Target: WEB_B })));
    assert.equal(denied.name, "AccessDeniedException");
    assert.equal(denied.status, 400);
    assert.equal(
      denied.message,
      `User: arn:aws:sts::${WORKLOAD}:assumed-role/project-a-operator/alice-session is not authorized to perform: ssm:StartSession on resource: arn:aws:ec2:${REGION}:${WORKLOAD}:instance/${WEB_B} because no identity-based policy allows the ssm:StartSession action`,
    );
  });

  it("checks Parameters against the document and fills in defaults", async () => {
    const bad = await awsError(
      alice.send(
        new StartSessionCommand({
          Target: WEB_A,
          DocumentName: "AWS-StartPortForwardingSession",
          Parameters: { portNumber: ["99999"], colour: ["blue"] },
        }),
      ),
    );
    assert.equal(bad.name, "InvalidParameters");
    assert.match(bad.message, /"colour" is not defined in document AWS-StartPortForwardingSession/);
    assert.match(bad.message, /"portNumber" value "99999" does not match/);

    const missing = await awsError(
      alice.send(
        new StartSessionCommand({
          Target: WEB_A,
          DocumentName: "AWS-StartPortForwardingSessionToRemoteHost",
        }),
      ),
    );
    assert.equal(missing.name, "InvalidParameters");
    assert.match(missing.message, /"host" is required/);

    const started = await alice.send(
      new StartSessionCommand({
        Target: DB_A,
        DocumentName: "AWS-StartPortForwardingSession",
        Parameters: { portNumber: ["5432"] },
      }),
    );
    const session = findSessionByToken(t.sandbox.host.runtime, started.TokenValue!);
    assert.deepEqual(session?.parameters, { portNumber: "5432", localPortNumber: "0" });
    assert.deepEqual(session?.properties, {
      portNumber: "5432",
      type: "LocalPortForwarding",
      localPortNumber: "0",
    });
    assert.equal(session?.sessionType, "Port");
  });

  it("refuses an unknown document and an unknown target after authorization", async () => {
    const unknownDocument = await awsError(
      reader.send(new GetDocumentCommand({ Name: "AWS-NoSuchSessionDocument" })),
    );
    assert.equal(unknownDocument.name, "InvalidDocument");
    const unknownTarget = await awsError(
      alice.send(new GetConnectionStatusCommand({ Target: "i-0123456789abcdef0" })),
    );
    assert.equal(unknownTarget.name, "AccessDeniedException");
  });

  it("lets a user end and resume only their own sessions", async () => {
    const mine = await alice.send(new StartSessionCommand({ Target: WEB_A }));
    const resumed = await alice.send(new ResumeSessionCommand({ SessionId: mine.SessionId }));
    assert.equal(resumed.SessionId, mine.SessionId);
    assert.notEqual(resumed.TokenValue, mine.TokenValue);
    const runtime = t.sandbox.host.runtime;
    assert.equal(findSessionByToken(runtime, resumed.TokenValue!)?.sessionId, mine.SessionId);
    assert.equal(findSessionByToken(runtime, mine.TokenValue!)?.sessionId, mine.SessionId);

    const sessionArn = `arn:aws:ssm:${REGION}:${WORKLOAD}:session/${mine.SessionId}`;
    for (const command of [
      new TerminateSessionCommand({ SessionId: mine.SessionId }),
      new ResumeSessionCommand({ SessionId: mine.SessionId }),
    ]) {
      const denied = await awsError(bob.send(command as TerminateSessionCommand));
      const action = command instanceof TerminateSessionCommand ? "TerminateSession" : "ResumeSession";
      assert.equal(denied.name, "AccessDeniedException");
      assert.equal(
        denied.message,
        `User: arn:aws:sts::${WORKLOAD}:assumed-role/project-a-operator/bob-session is not authorized to perform: ssm:${action} on resource: ${sessionArn} because no identity-based policy allows the ssm:${action} action`,
      );
    }

    await alice.send(new TerminateSessionCommand({ SessionId: mine.SessionId }));
    const history = await alice.send(
      new DescribeSessionsCommand({
        State: "History",
        Filters: [{ key: "SessionId", value: mine.SessionId }],
      }),
    );
    assert.equal(history.Sessions?.length, 1);
    assert.equal(history.Sessions?.[0]?.Status, "Terminated");
    assert.ok(history.Sessions?.[0]?.EndDate instanceof Date);
    const gone = await alice.send(new ResumeSessionCommand({ SessionId: mine.SessionId }));
    assert.equal(gone.TokenValue, undefined);
  });

  it("lists active sessions with their owner and filters them", async () => {
    const started = await alice.send(new StartSessionCommand({ Target: DB_A }));
    const active = await alice.send(
      new DescribeSessionsCommand({ State: "Active", Filters: [{ key: "Target", value: DB_A }] }),
    );
    const listed = active.Sessions?.find((s) => s.SessionId === started.SessionId);
    assert.equal(listed?.Owner, `arn:aws:sts::${WORKLOAD}:assumed-role/project-a-operator/alice-session`);
    assert.equal(listed?.DocumentName, "SSM-SessionManagerRunShell");
    assert.ok(active.Sessions?.every((s) => s.Target === DB_A));
    const badKey = await awsError(
      alice.send(
        new DescribeSessionsCommand({ State: "Active", Filters: [{ key: "Colour" as never, value: "x" }] }),
      ),
    );
    assert.equal(badKey.name, "InvalidFilterKey");
  });

  it("describes the managed nodes: online, platform, address and name", async () => {
    const all = await alice.send(new DescribeInstanceInformationCommand({}));
    const ids = all.InstanceInformationList?.map((i) => i.InstanceId).sort();
    assert.deepEqual(ids, [DB_A, WEB_A, WEB_B].sort());
    const webA = all.InstanceInformationList?.find((i) => i.InstanceId === WEB_A);
    assert.equal(webA?.PingStatus, "Online");
    assert.equal(webA?.PlatformType, "Linux");
    assert.equal(webA?.IPAddress, "10.0.1.10");
    assert.equal(webA?.ComputerName, `ip-10-0-1-10.${REGION}.compute.internal`);
    assert.equal(webA?.ResourceType, "EC2Instance");
    const projectB = await alice.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: "tag:Project", Values: ["project-b"] }] }),
    );
    assert.deepEqual(
      projectB.InstanceInformationList?.map((i) => i.InstanceId),
      [WEB_B],
    );
    const connected = await alice.send(new GetConnectionStatusCommand({ Target: WEB_A }));
    assert.equal(connected.Status, "connected");
  });

  it("serves the preferences document and the AWS session documents", async () => {
    const shell = await reader.send(new GetDocumentCommand({ Name: "SSM-SessionManagerRunShell" }));
    assert.equal(shell.DocumentType, "Session");
    const content = JSON.parse(shell.Content!);
    assert.equal(content.schemaVersion, "1.0");
    assert.equal(content.sessionType, "Standard_Stream");
    assert.equal(content.inputs.kmsKeyId, "alias/session-manager");
    assert.equal(content.inputs.runAsEnabled, true);
    assert.equal(content.inputs.runAsDefaultUser, "ssm-user");
    assert.equal(content.inputs.idleSessionTimeout, "20");
    assert.equal(content.inputs.maxSessionDuration, "60");
    assert.equal(content.inputs.shellProfile.linux, 'exec /bin/bash\ncd "$HOME"');

    const ssh = await reader.send(new DescribeDocumentCommand({ Name: "AWS-StartSSHSession" }));
    assert.equal(ssh.Document?.Owner, "Amazon");
    assert.deepEqual(
      ssh.Document?.Parameters?.map((p) => [p.Name, p.DefaultValue]),
      [["portNumber", "22"]],
    );
    const yaml = await reader.send(
      new GetDocumentCommand({ Name: "AWS-StartNonInteractiveCommand", DocumentFormat: "YAML" }),
    );
    assert.match(yaml.Content!, /sessionType: NonInteractiveCommands/);
    // The operator role may read the preferences (for `tobira doctor`), and no other document.
    const preferences = await alice.send(new GetDocumentCommand({ Name: "SSM-SessionManagerRunShell" }));
    assert.equal(preferences.DocumentType, "Session");
    const denied = await awsError(alice.send(new GetDocumentCommand({ Name: "AWS-StartSSHSession" })));
    assert.equal(denied.name, "AccessDeniedException");
    assert.match(
      denied.message,
      /ssm:GetDocument on resource: arn:aws:ssm:ap-northeast-1::document\/AWS-StartSSHSession because/,
    );
  });
});
