// Hybrid activation end to end: an administrator's activation through @aws-sdk/client-ssm, the test playing
// the agent (test-agent.ts) for registration and RSA-signed token calls, the node's role credentials used
// with the SDK's clients, ABAC on the node's tags, and each failure in AWS's shape.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  AddTagsToResourceCommand,
  CreateActivationCommand,
  DeleteActivationCommand,
  DeregisterManagedInstanceCommand,
  DescribeActivationsCommand,
  DescribeInstanceInformationCommand,
  GetConnectionStatusCommand,
  GetDocumentCommand,
  ListTagsForResourceCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
  StartSessionCommand,
} from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { awsError, type Credentials, sandboxSuite, type TestSandbox } from "../server/sandbox-fixture.js";
import { operatorRoles, REGION, WORKLOAD } from "../ssm/workload-clients.js";
import { type AgentAnswer, TestAgent } from "./test-agent.js";

const NODE_ROLE = "SSMHybridNodeRole";

/** SSM on the node's or a role's credentials; retries a keep-alive socket the server closed between tests. */
function ssmOf(t: TestSandbox, credentials: Credentials): SSMClient {
  return new SSMClient({ endpoint: t.sandbox.endpoint, region: REGION, credentials, maxAttempts: 3 });
}

function credentialsOf(answer: AgentAnswer): Credentials {
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return {
    accessKeyId: String(answer.body.AccessKeyId),
    secretAccessKey: String(answer.body.SecretAccessKey),
    sessionToken: String(answer.body.SessionToken),
  };
}

function errorType(answer: AgentAnswer): string {
  return String(answer.body.__type);
}

describe("hybrid activations", () => {
  const suite = sandboxSuite();
  let admin: SSMClient;
  let operatorA: SSMClient;
  let operatorB: SSMClient;
  let activation: { ActivationId: string; ActivationCode: string };
  const agent = new TestAgent();

  it("creates an activation for the node role, with the admin's PassRole", async () => {
    const roles = await operatorRoles(suite.t, "alice", [
      "hybrid-admin",
      "project-a-operator",
      "project-b-operator",
    ]);
    admin = ssmOf(suite.t, roles["hybrid-admin"]!);
    operatorA = ssmOf(suite.t, roles["project-a-operator"]!);
    operatorB = ssmOf(suite.t, roles["project-b-operator"]!);
    const created = await admin.send(
      new CreateActivationCommand({
        IamRole: NODE_ROLE,
        DefaultInstanceName: "onprem-1",
        RegistrationLimit: 1,
        Tags: [{ Key: "Project", Value: "project-a" }],
      }),
    );
    assert.match(created.ActivationId!, /^[0-9a-f-]{36}$/);
    assert.ok(created.ActivationCode!.length >= 20);
    activation = { ActivationId: created.ActivationId!, ActivationCode: created.ActivationCode! };
    const listed = await admin.send(new DescribeActivationsCommand({}));
    const mine = listed.ActivationList?.find((a) => a.ActivationId === activation.ActivationId);
    assert.equal(mine?.IamRole, NODE_ROLE);
    assert.equal(mine?.RegistrationsCount, 0);
    assert.equal(mine?.Expired, false);
    assert.ok(Math.abs(mine!.ExpirationDate!.getTime() - (suite.t.now() + 24 * 3600 * 1000)) < 60_000);
    assert.deepEqual(mine?.Tags, [{ Key: "Project", Value: "project-a" }]);
  });

  it("refuses an activation to a caller without iam:PassRole, and an unknown role", async () => {
    const denied = await awsError(operatorA.send(new CreateActivationCommand({ IamRole: NODE_ROLE })));
    assert.equal(denied.name, "AccessDeniedException");
    const unknown = await awsError(admin.send(new CreateActivationCommand({ IamRole: "NoSuchRole" })));
    assert.equal(unknown.name, "AccessDeniedException", "PassRole is granted on SSMHybridNodeRole only");
  });

  it("refuses a registration with a wrong code, in AWS's shape", async () => {
    const wrong = await new TestAgent().register(
      suite.t.sandbox.endpoint,
      activation.ActivationId,
      "x".repeat(20),
    );
    assert.equal(wrong.status, 400);
    assert.equal(errorType(wrong), "InvalidActivation");
  });

  it("refuses a registration whose node services are not the world file's port entries", async () => {
    const bad = async (value: string) =>
      new TestAgent().register(suite.t.sandbox.endpoint, activation.ActivationId, activation.ActivationCode, {
        "x-tobira-node-ports": value,
      });
    const notJson = await bad("80:http");
    assert.equal(errorType(notJson), "ValidationException");
    assert.match(String(notJson.body.message), /x-tobira-node-ports header is not JSON/);
    const noTarget = await bad(JSON.stringify([{ port: 5432, service: "tcp" }]));
    assert.match(
      String(noTarget.body.message),
      /bad entry at 0.target: a "tcp" port needs a target host:port/,
    );
    const twice = await bad(
      JSON.stringify([
        { port: 80, service: "http" },
        { port: 80, service: "echo" },
      ]),
    );
    assert.match(String(twice.body.message), /lists port 80 twice/);
    const listed = await admin.send(new DescribeActivationsCommand({}));
    const mine = listed.ActivationList?.find((a) => a.ActivationId === activation.ActivationId);
    assert.equal(mine?.RegistrationsCount, 0, "a refused registration uses none of the limit");
  });

  it("registers the agent as an mi- node, then refuses the activation's limit", async () => {
    const answer = await agent.register(
      suite.t.sandbox.endpoint,
      activation.ActivationId,
      activation.ActivationCode,
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.match(agent.nodeId, /^mi-[0-9a-f]{17}$/);
    const second = await new TestAgent().register(
      suite.t.sandbox.endpoint,
      activation.ActivationId,
      activation.ActivationCode,
    );
    assert.equal(errorType(second), "RegistrationLimitExceeded");
    const listed = await admin.send(
      new DescribeActivationsCommand({
        Filters: [{ FilterKey: "ActivationIds", FilterValues: [activation.ActivationId] }],
      }),
    );
    assert.equal(listed.ActivationList?.[0]?.RegistrationsCount, 1);
  });

  it("refuses an expired activation", async () => {
    const created = await admin.send(
      new CreateActivationCommand({ IamRole: NODE_ROLE, ExpirationDate: new Date(suite.t.now() + 3600_000) }),
    );
    suite.t.advance(2 * 3600_000);
    try {
      const late = await new TestAgent().register(
        suite.t.sandbox.endpoint,
        created.ActivationId!,
        created.ActivationCode!,
      );
      assert.equal(errorType(late), "ActivationExpired");
    } finally {
      suite.t.advance(-2 * 3600_000);
    }
    await admin.send(new DeleteActivationCommand({ ActivationId: created.ActivationId! }));
    const gone = await awsError(
      admin.send(new DeleteActivationCommand({ ActivationId: created.ActivationId! })),
    );
    assert.equal(gone.name, "InvalidActivationId");
  });

  it("gives the RSA-signed token request the role as assumed-role/ROLE/mi-…, usable with every service", async () => {
    const credentials = credentialsOf(await agent.roleToken(suite.t.sandbox.endpoint));
    const identity = await suite.t.sts(credentials).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, `arn:aws:sts::${WORKLOAD}:assumed-role/${NODE_ROLE}/${agent.nodeId}`);
    const document = await ssmOf(suite.t, credentials).send(
      new GetDocumentCommand({ Name: "SSM-SessionManagerRunShell" }),
    );
    assert.equal(document.Name, "SSM-SessionManagerRunShell");
    const lines = suite.t.auditLines();
    const tokenLine = lines.find((l) => l.action === "RequestManagedInstanceRoleToken" && l.status === 200);
    assert.equal(
      tokenLine?.principalArn,
      `arn:aws:ssm:${REGION}:${WORKLOAD}:managed-instance/${agent.nodeId}`,
    );
    const used = lines.filter((l) => l.accessKeyId === credentials.accessKeyId);
    assert.deepEqual(
      used.map((l) => [l.action, l.principalArn]),
      [
        ["GetCallerIdentity", identity.Arn],
        ["GetDocument", identity.Arn],
      ],
    );
    assert.ok(!JSON.stringify(lines).includes(credentials.secretAccessKey));
  });

  it("refuses a signature by another key, a tampered body and an unknown node", async () => {
    const endpoint = suite.t.sandbox.endpoint;
    const other = agent.newKeyPair();
    const forged = await agent.roleToken(endpoint, { key: other.privateKey });
    assert.equal(errorType(forged), "InvalidSignatureException");
    const tampered = await agent.roleToken(endpoint, { sentBody: JSON.stringify({ Fingerprint: "other" }) });
    assert.equal(errorType(tampered), "InvalidSignatureException");
    const unknown = await agent.roleToken(endpoint, { nodeId: "mi-00000000000000000" });
    assert.equal(errorType(unknown), "InvalidInstanceId");
    const skewed = await agent.roleToken(endpoint, { now: suite.t.now() - 20 * 60_000 });
    assert.equal(errorType(skewed), "InvalidSignatureException");
  });

  it("lists the node in DescribeInstanceInformation as a ManagedInstance with its name, address and activation", async () => {
    const answer = await admin.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: "InstanceIds", Values: [agent.nodeId] }] }),
    );
    const node = answer.InstanceInformationList?.[0];
    assert.equal(node?.ResourceType, "ManagedInstance");
    assert.equal(node?.Name, "onprem-1");
    assert.equal(node?.IPAddress, "127.0.0.1");
    assert.equal(node?.PlatformType, "Linux");
    assert.equal(node?.IamRole, NODE_ROLE);
    assert.equal(node?.ActivationId, activation.ActivationId);
    assert.equal(node?.PingStatus, "Online");
  });

  it("carries the activation's tags, which decide ABAC sessions, and changes them", async () => {
    const target = { ResourceType: "ManagedInstance" as const, ResourceId: agent.nodeId };
    const tags = await admin.send(new ListTagsForResourceCommand(target));
    assert.deepEqual(tags.TagList, [{ Key: "Project", Value: "project-a" }]);
    const a = await operatorA.send(new StartSessionCommand({ Target: agent.nodeId }));
    assert.ok(a.SessionId);
    const deniedB = await awsError(operatorB.send(new GetConnectionStatusCommand({ Target: agent.nodeId })));
    assert.equal(deniedB.name, "AccessDeniedException");
    await admin.send(
      new AddTagsToResourceCommand({ ...target, Tags: [{ Key: "Project", Value: "project-b" }] }),
    );
    const b = await operatorB.send(new GetConnectionStatusCommand({ Target: agent.nodeId }));
    assert.equal(b.Status, "connected");
    await admin.send(new RemoveTagsFromResourceCommand({ ...target, TagKeys: ["Project"] }));
    assert.deepEqual((await admin.send(new ListTagsForResourceCommand(target))).TagList, []);
    await admin.send(
      new AddTagsToResourceCommand({ ...target, Tags: [{ Key: "Project", Value: "project-a" }] }),
    );
    const wrongType = await awsError(
      admin.send(new ListTagsForResourceCommand({ ResourceType: "Document", ResourceId: "x" })),
    );
    assert.equal(wrongType.name, "InvalidResourceType");
  });

  it("refuses another fingerprint (the node goes offline) and takes the registered one again", async () => {
    const endpoint = suite.t.sandbox.endpoint;
    const registered = agent.fingerprint;
    agent.fingerprint = "00000000-0000-4000-8000-000000000000";
    const mismatch = await agent.roleToken(endpoint);
    agent.fingerprint = registered;
    assert.equal(errorType(mismatch), "MachineFingerprintDoesNotMatch");
    const status = await operatorA.send(new GetConnectionStatusCommand({ Target: agent.nodeId }));
    assert.equal(status.Status, "notconnected");
    credentialsOf(await agent.roleToken(endpoint));
    const again = await operatorA.send(new GetConnectionStatusCommand({ Target: agent.nodeId }));
    assert.equal(again.Status, "connected");
  });

  it("rotates the key with a request signed by the old key; the old key is then refused", async () => {
    const endpoint = suite.t.sandbox.endpoint;
    const next = agent.newKeyPair();
    const rotated = await agent.signedCall(endpoint, "UpdateManagedInstancePublicKey", {
      NewPublicKey: next.publicKey,
      NewPublicKeyType: "Rsa",
    });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.equal(errorType(await agent.roleToken(endpoint)), "InvalidSignatureException");
    agent.privateKey = next.privateKey;
    agent.publicKey = next.publicKey;
    credentialsOf(await agent.roleToken(endpoint));
  });

  it("keeps the node over a restart, and refuses its token requests once deregistered", async () => {
    await suite.t.restart();
    admin = ssmOf(suite.t, (await operatorRoles(suite.t, "bob", ["hybrid-admin"]))["hybrid-admin"]!);
    const endpoint = suite.t.sandbox.endpoint;
    credentialsOf(await agent.roleToken(endpoint));
    await admin.send(new DeregisterManagedInstanceCommand({ InstanceId: agent.nodeId }));
    assert.equal(errorType(await agent.roleToken(endpoint)), "InvalidInstanceId");
    const listed = await admin.send(new DescribeInstanceInformationCommand({}));
    assert.ok(!listed.InstanceInformationList?.some((n) => n.InstanceId === agent.nodeId));
    const again = await awsError(
      admin.send(new DeregisterManagedInstanceCommand({ InstanceId: agent.nodeId })),
    );
    assert.equal(again.name, "InvalidInstanceId");
  });
});
