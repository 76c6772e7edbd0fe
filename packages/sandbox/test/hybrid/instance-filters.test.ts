// DescribeInstanceInformation's filters through @aws-sdk/client-ssm, over EC2 instances, nodes the world file
// registers and a node an agent registers: each documented key, values ORed and filters ANDed, and the
// refusals AWS users report (ResourceType's one value, a tag filter beside another, both filter lists).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  CreateActivationCommand,
  DescribeInstanceInformationCommand,
  type DescribeInstanceInformationCommandInput,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { defaultWorldPath, parseWorld } from "../../src/world/index.js";
import { awsError, sandboxSuite } from "../server/sandbox-fixture.js";
import { DB_A, operatorRoles, REGION, WEB_A, WEB_B } from "../ssm/workload-clients.js";
import { TestAgent } from "./test-agent.js";

const LAB_DB = "mi-0123456789abcdef0";
const LAB_WIN = "mi-0123456789abcdef1";
const SECTION = `
hybridActivations:
  - name: lab
    account: "222222222222"
    region: ap-northeast-1
    iamRole: SSMHybridNodeRole
    tags: { Project: project-a }
    nodes:
      - { name: lab-db, id: ${LAB_DB}, tags: { Role: db } }
      - { name: lab-win, id: ${LAB_WIN}, platform: Windows, agentOnline: false }
`;

describe("DescribeInstanceInformation filters", () => {
  const world = parseWorld(readFileSync(defaultWorldPath(), "utf8") + SECTION, "world.yaml");
  const suite = sandboxSuite({ world });
  let admin: SSMClient;
  let labId = "";
  let registered = "";
  let registeredActivation = "";

  const ids = async (input: DescribeInstanceInformationCommandInput) =>
    ((await admin.send(new DescribeInstanceInformationCommand(input))).InstanceInformationList ?? [])
      .map((n) => n.InstanceId!)
      .sort();

  it("registers one more node through an activation of the API", async () => {
    const roles = await operatorRoles(suite.t, "alice", ["hybrid-admin"]);
    admin = new SSMClient({
      endpoint: suite.t.sandbox.endpoint,
      region: REGION,
      credentials: roles["hybrid-admin"]!,
    });
    labId = world.hybridActivations![0]!.id;
    const created = await admin.send(new CreateActivationCommand({ IamRole: "SSMHybridNodeRole" }));
    registeredActivation = created.ActivationId!;
    const agent = new TestAgent();
    const answer = await agent.register(
      suite.t.sandbox.endpoint,
      registeredActivation,
      created.ActivationCode!,
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    registered = agent.nodeId;
  });

  it("ActivationIds: the nodes registered through each activation, in either filter list", async () => {
    assert.deepEqual(await ids({ Filters: [{ Key: "ActivationIds", Values: [labId] }] }), [LAB_DB, LAB_WIN]);
    assert.deepEqual(await ids({ Filters: [{ Key: "ActivationIds", Values: [registeredActivation] }] }), [
      registered,
    ]);
    assert.deepEqual(
      await ids({ Filters: [{ Key: "ActivationIds", Values: [labId, registeredActivation] }] }),
      [LAB_DB, LAB_WIN, registered].sort(),
    );
    assert.deepEqual(
      await ids({
        InstanceInformationFilterList: [{ key: "ActivationIds", valueSet: [registeredActivation] }],
      }),
      [registered],
    );
    assert.deepEqual(await ids({ Filters: [{ Key: "ActivationIds", Values: ["0000"] }] }), []);
  });

  it("InstanceIds, PingStatus, ResourceType, PlatformTypes, IamRole, SourceTypes, AssociationStatus, ANDed", async () => {
    assert.deepEqual(
      await ids({ Filters: [{ Key: "InstanceIds", Values: [WEB_A, LAB_DB] }] }),
      [LAB_DB, WEB_A].sort(),
    );
    assert.deepEqual(await ids({ Filters: [{ Key: "PingStatus", Values: ["ConnectionLost"] }] }), [LAB_WIN]);
    assert.deepEqual(
      await ids({ Filters: [{ Key: "ResourceType", Values: ["EC2Instance"] }] }),
      [DB_A, WEB_A, WEB_B].sort(),
    );
    assert.deepEqual(await ids({ Filters: [{ Key: "PlatformTypes", Values: ["Windows"] }] }), [LAB_WIN]);
    assert.deepEqual(
      await ids({ Filters: [{ Key: "IamRole", Values: ["SSMHybridNodeRole"] }] }),
      [LAB_DB, LAB_WIN, registered].sort(),
    );
    assert.deepEqual(
      await ids({ Filters: [{ Key: "SourceTypes", Values: ["AWS::SSM::ManagedInstance"] }] }),
      [LAB_DB, LAB_WIN, registered].sort(),
    );
    assert.equal((await ids({ Filters: [{ Key: "AssociationStatus", Values: ["Success"] }] })).length, 6);
    assert.deepEqual(
      await ids({
        Filters: [
          { Key: "ResourceType", Values: ["ManagedInstance"] },
          { Key: "PingStatus", Values: ["Online"] },
          { Key: "ActivationIds", Values: [labId] },
        ],
      }),
      [LAB_DB],
    );
  });

  it("tag:KEY and tag-key, alone", async () => {
    assert.deepEqual(await ids({ Filters: [{ Key: "tag:Role", Values: ["db"] }] }), [LAB_DB]);
    assert.deepEqual(
      await ids({ Filters: [{ Key: "tag:Project", Values: ["project-a"] }] }),
      [DB_A, LAB_DB, LAB_WIN, WEB_A].sort(),
    );
    assert.deepEqual(await ids({ Filters: [{ Key: "tag-key", Values: ["Role"] }] }), [LAB_DB]);
  });

  it("refuses as AWS does", async () => {
    const refused = async (input: DescribeInstanceInformationCommandInput) =>
      awsError(admin.send(new DescribeInstanceInformationCommand(input)));
    const twoTypes = await refused({
      Filters: [{ Key: "ResourceType", Values: ["ManagedInstance", "EC2Instance"] }],
    });
    assert.deepEqual(
      [twoTypes.name, twoTypes.message],
      ["InvalidInstanceInformationFilterValue", "ResourceType filter may contain only one value."],
    );
    const document = await refused({ Filters: [{ Key: "ResourceType", Values: ["Document"] }] });
    assert.equal(
      document.message,
      "ResourceType filter is invalid, valid values are EC2Instance, ManagedInstance",
    );
    const mixed = await refused({
      Filters: [
        { Key: "ResourceType", Values: ["ManagedInstance"] },
        { Key: "tag:Project", Values: ["project-a"] },
      ],
    });
    assert.deepEqual(
      [mixed.name, mixed.message],
      ["ValidationException", "Cannot mix tag or inventory filter with any other filter."],
    );
    const both = await refused({
      Filters: [{ Key: "PingStatus", Values: ["Online"] }],
      InstanceInformationFilterList: [{ key: "PingStatus", valueSet: ["Online"] }],
    });
    assert.equal(both.name, "ValidationException");
    const legacyTag = await refused({
      InstanceInformationFilterList: [{ key: "tag:Project" as never, valueSet: ["project-a"] }],
    });
    assert.equal(legacyTag.name, "InvalidFilterKey");
    assert.equal((await refused({ Filters: [{ Key: "Colour", Values: ["x"] }] })).name, "InvalidFilterKey");
    assert.equal(
      (await refused({ Filters: [{ Key: "PingStatus", Values: ["Up"] }] })).name,
      "InvalidInstanceInformationFilterValue",
    );
    assert.equal(
      (await refused({ Filters: [{ Key: "InstanceIds", Values: ["web-a"] }] })).name,
      "InvalidInstanceId",
    );
  });
});
