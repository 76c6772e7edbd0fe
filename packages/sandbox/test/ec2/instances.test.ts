import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  DescribeInstancesCommand,
  type EC2Client,
  StartInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
  DescribeInstanceInformationCommand,
  GetConnectionStatusCommand,
  StartSessionCommand,
} from "@aws-sdk/client-ssm";
import { awsError, type Credentials, startTestSandbox, type TestSandbox } from "../server/sandbox-fixture.js";
import { clients, DB_A, operatorRoles, REGION, WEB_A, WEB_B, WORKLOAD } from "../ssm/workload-clients.js";

const OPERATOR = `arn:aws:sts::${WORKLOAD}:assumed-role/project-a-operator/alice-session`;

function described(answer: {
  Reservations?: { Instances?: { InstanceId?: string | undefined }[] | undefined }[] | undefined;
}): string[] {
  return (answer.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId!)).sort();
}

describe("EC2 instances against the default world", () => {
  let t: TestSandbox;
  let credentials: Credentials;
  let ec2: EC2Client;
  before(async () => {
    t = await startTestSandbox();
    credentials = (await operatorRoles(t, "alice", ["project-a-operator"]))["project-a-operator"]!;
    ec2 = clients(t, credentials).ec2;
  });
  after(() => t.dispose());

  it("describes every instance of the account and Region in EC2's shape", async () => {
    const all = await ec2.send(new DescribeInstancesCommand({}));
    assert.deepEqual(described(all), [DB_A, WEB_A, WEB_B].sort());
    const reservation = all.Reservations?.find((r) => r.Instances?.[0]?.InstanceId === WEB_A);
    assert.equal(reservation?.OwnerId, WORKLOAD);
    const webA = reservation?.Instances?.[0];
    assert.equal(webA?.State?.Name, "running");
    assert.equal(webA?.State?.Code, 16);
    assert.equal(webA?.PrivateIpAddress, "10.0.1.10");
    assert.equal(webA?.PrivateDnsName, `ip-10-0-1-10.${REGION}.compute.internal`);
    assert.deepEqual(webA?.Tags?.map((tag) => [tag.Key, tag.Value]).sort(), [
      ["Name", "web-a"],
      ["Project", "project-a"],
    ]);
    assert.equal(webA?.IamInstanceProfile?.Arn, `arn:aws:iam::${WORKLOAD}:instance-profile/SSMInstanceRole`);
    assert.ok(webA?.LaunchTime instanceof Date);
  });

  it("filters by id, tags, state, address and DNS name", async () => {
    const cases: [string, string[], string[]][] = [
      ["instance-id", [WEB_B], [WEB_B]],
      ["tag:Project", ["project-a"], [DB_A, WEB_A]],
      ["tag:Name", ["web-*"], [WEB_A, WEB_B]],
      ["tag-key", ["Project"], [DB_A, WEB_A, WEB_B]],
      ["tag-key", ["Owner"], []],
      ["instance-state-name", ["running"], [DB_A, WEB_A, WEB_B]],
      ["private-ip-address", ["10.0.1.11"], [DB_A]],
      ["private-dns-name", [`ip-10-0-1-20.${REGION}.compute.internal`], [WEB_B]],
    ];
    for (const [name, values, expected] of cases) {
      const answer = await ec2.send(
        new DescribeInstancesCommand({ Filters: [{ Name: name, Values: values }] }),
      );
      assert.deepEqual(described(answer), expected.sort(), `${name}=${values.join(",")}`);
    }
    const both = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: "tag:Project", Values: ["project-a"] },
          { Name: "private-ip-address", Values: ["10.0.1.10", "10.0.1.20"] },
        ],
      }),
    );
    assert.deepEqual(described(both), [WEB_A]);
    const byIds = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [WEB_A, WEB_B] }));
    assert.deepEqual(described(byIds), [WEB_A, WEB_B].sort());
  });

  it("says which ids and filters are wrong", async () => {
    const unknown = await awsError(
      ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0fffffffffffffff0"] })),
    );
    assert.equal(unknown.name, "InvalidInstanceID.NotFound");
    assert.equal(unknown.message, "The instance ID 'i-0fffffffffffffff0' does not exist");
    const malformed = await awsError(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["web-a"] })));
    assert.equal(malformed.name, "InvalidInstanceID.Malformed");
    const filter = await awsError(
      ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "colour", Values: ["blue"] }] })),
    );
    assert.equal(filter.name, "InvalidParameterValue");
  });

  it("lets a project stop only its own instances, in EC2's words", async () => {
    const denied = await awsError(ec2.send(new StopInstancesCommand({ InstanceIds: [WEB_B] })));
    assert.equal(denied.name, "UnauthorizedOperation");
    assert.equal(denied.status, 403);
    assert.equal(
      denied.message,
      `You are not authorized to perform this operation. User: ${OPERATOR} is not authorized to perform: ec2:StopInstances on resource: arn:aws:ec2:${REGION}:${WORKLOAD}:instance/${WEB_B} because no identity-based policy allows the ec2:StopInstances action`,
    );
    // One denied instance fails the whole request: nothing stops.
    await awsError(ec2.send(new StopInstancesCommand({ InstanceIds: [DB_A, WEB_B] })));
    const still = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [DB_A] }));
    assert.equal(still.Reservations?.[0]?.Instances?.[0]?.State?.Name, "running");
    const dryRun = await awsError(ec2.send(new StopInstancesCommand({ InstanceIds: [DB_A], DryRun: true })));
    assert.equal(dryRun.name, "DryRunOperation");
  });

  it("stops an own instance, which Session Manager then cannot reach, and keeps it stopped across a restart", async () => {
    const stopped = await ec2.send(new StopInstancesCommand({ InstanceIds: [WEB_A] }));
    assert.deepEqual(stopped.StoppingInstances?.[0], {
      InstanceId: WEB_A,
      CurrentState: { Code: 64, Name: "stopping" },
      PreviousState: { Code: 16, Name: "running" },
    });
    const ssm = clients(t, credentials).ssm;
    const refused = await awsError(ssm.send(new StartSessionCommand({ Target: WEB_A })));
    assert.equal(refused.name, "TargetNotConnected");
    assert.equal(refused.message, `${WEB_A} is not connected.`);
    assert.equal((await ssm.send(new GetConnectionStatusCommand({ Target: WEB_A }))).Status, "notconnected");

    await t.restart();
    const again = clients(t, credentials);
    const afterRestart = await again.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: "instance-state-name", Values: ["stopped"] }] }),
    );
    assert.deepEqual(described(afterRestart), [WEB_A]);
    const info = await again.ssm.send(
      new DescribeInstanceInformationCommand({ Filters: [{ Key: "InstanceIds", Values: [WEB_A] }] }),
    );
    assert.equal(info.InstanceInformationList?.[0]?.PingStatus, "ConnectionLost");

    const started = await again.ec2.send(new StartInstancesCommand({ InstanceIds: [WEB_A] }));
    assert.deepEqual(started.StartingInstances?.[0]?.CurrentState, { Code: 0, Name: "pending" });
    assert.deepEqual(started.StartingInstances?.[0]?.PreviousState, { Code: 80, Name: "stopped" });
    const session = await again.ssm.send(new StartSessionCommand({ Target: WEB_A }));
    assert.match(session.SessionId!, /^alice-session-/);
    const deniedStart = await awsError(again.ec2.send(new StartInstancesCommand({ InstanceIds: [WEB_B] })));
    assert.equal(deniedStart.name, "UnauthorizedOperation");
  });
});
