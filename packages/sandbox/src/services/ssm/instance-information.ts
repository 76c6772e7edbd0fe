// DescribeInstanceInformation and GetConnectionStatus: the managed nodes SSM knows (instances with a role
// for their agent), Online while running and ConnectionLost otherwise.

import { AwsServiceError } from "../../protocol/errors.js";
import type { ServiceCall } from "../../server/runtime.js";
import type { Instance } from "../../world/model.js";
import {
  findInstance,
  instanceArn,
  instancesIn,
  isManagedNode,
  resourceTagContext,
} from "../ec2/instance-resource.js";
import { isOnlineForSsm, stateChangedAt } from "../ec2/instance-state.js";
import { registeredNodeFields } from "../hybrid/hybrid.js";
import { JsonInput } from "./json-input.js";
import { readPage } from "./paging.js";
import { authorizeSsm } from "./ssm-authorize.js";

/** The agent version the sandbox's agents report. */
export const SANDBOX_AGENT_VERSION = "3.3.1142.0";
/** When the world's agents registered: a fixed time, so answers are the same across runs. */
const REGISTRATION_TIME = Date.parse("2024-04-01T00:00:00Z") / 1000;

interface NodeFacts {
  instance: Instance;
  online: boolean;
}

type NodeField = (facts: NodeFacts) => string[];

const FIELDS: Record<string, NodeField> = {
  InstanceIds: ({ instance }) => [instance.id],
  AgentVersion: () => [SANDBOX_AGENT_VERSION],
  PingStatus: ({ online }) => [online ? "Online" : "ConnectionLost"],
  PlatformTypes: ({ instance }) => [instance.platform],
  ResourceType: ({ instance }) => [isManagedNode(instance.id) ? "ManagedInstance" : "EC2Instance"],
  IamRole: ({ instance }) => [instance.role],
  AssociationStatus: () => ["Success"],
  ActivationIds: () => [],
  "tag-key": ({ instance }) => Object.keys(instance.tags),
};

function fieldOf(key: string): NodeField {
  if (key.startsWith("tag:")) {
    const tag = key.slice(4);
    return ({ instance }) => (instance.tags[tag] === undefined ? [] : [instance.tags[tag]!]);
  }
  const field = Object.hasOwn(FIELDS, key) ? FIELDS[key] : undefined;
  if (!field) throw new AwsServiceError("InvalidFilterKey", `The filter key ${key} is not valid.`, 400);
  return field;
}

/** Both filter spellings: `Filters [{Key, Values}]` and the older `InstanceInformationFilterList [{key, valueSet}]`. */
function readNodeFilters(input: JsonInput): ((facts: NodeFacts) => boolean)[] {
  const newer = (input.structList("Filters") ?? []).map((f) => ({ key: f.Key, values: f.Values }));
  const older = (input.structList("InstanceInformationFilterList") ?? []).map((f) => ({
    key: f.key,
    values: f.valueSet,
  }));
  return [...newer, ...older].map(({ key, values }) => {
    if (typeof key !== "string") throw new AwsServiceError("InvalidFilterKey", "A filter needs a key.", 400);
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== "string")) {
      throw new AwsServiceError(
        "InvalidInstanceInformationFilterValue",
        `The filter ${key} needs one or more string values.`,
        400,
      );
    }
    const field = fieldOf(key);
    return (facts: NodeFacts) => field(facts).some((value) => (values as string[]).includes(value));
  });
}

function nodeJson(call: ServiceCall, { instance, online }: NodeFacts) {
  const managed = isManagedNode(instance.id);
  const windows = instance.platform === "Windows";
  const changed = stateChangedAt(call.runtime, instance);
  return {
    InstanceId: instance.id,
    PingStatus: online ? "Online" : "ConnectionLost",
    LastPingDateTime: online
      ? Math.floor(call.now / 1000)
      : changed
        ? Date.parse(changed) / 1000
        : REGISTRATION_TIME,
    AgentVersion: SANDBOX_AGENT_VERSION,
    IsLatestVersion: false,
    PlatformType: instance.platform,
    PlatformName: windows ? "Microsoft Windows Server 2022 Datacenter" : "Amazon Linux",
    PlatformVersion: windows ? "10.0.20348" : "2023",
    ResourceType: managed ? "ManagedInstance" : "EC2Instance",
    IPAddress: instance.privateIp,
    ComputerName: managed ? instance.name : instance.privateDnsName,
    IamRole: managed ? instance.role : undefined,
    Name: managed ? instance.name : undefined,
    RegistrationDate: managed ? REGISTRATION_TIME : undefined,
    AssociationStatus: "Success",
    SourceId: instance.id,
    SourceType: managed ? "AWS::SSM::ManagedInstance" : "AWS::EC2::Instance",
    ...(managed ? registeredNodeFields(call.runtime, instance) : {}),
  };
}

export function describeInstanceInformation(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const maxResults = input.integer("MaxResults", { min: 5, max: 50 });
  const nextToken = input.string("NextToken");
  const filters = readNodeFilters(input);
  input.done();
  authorizeSsm(call, { action: "ssm:DescribeInstanceInformation", resource: "*" });
  const nodes = instancesIn(call.runtime.world, call.caller.account, call.region)
    .filter((instance) => instance.role !== "")
    .map((instance) => ({ instance, online: isOnlineForSsm(call.runtime, instance) }))
    .filter((facts) => filters.every((test) => test(facts)));
  const page = readPage(nodes, nextToken, maxResults ?? 50);
  return {
    InstanceInformationList: page.items.map((facts) => nodeJson(call, facts)),
    NextToken: page.nextToken,
  };
}

export function getConnectionStatus(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const target = input.string("Target", { required: true, min: 1, max: 400 })!;
  input.done();
  const { runtime, caller, region } = call;
  const instance = findInstance(runtime.world, caller.account, region, target);
  authorizeSsm(call, {
    action: "ssm:GetConnectionStatus",
    resource: instanceArn(region, caller.account, target),
    context: resourceTagContext(instance?.tags ?? {}, ["ssm:resourceTag"]),
  });
  const connected = instance !== undefined && isOnlineForSsm(runtime, instance);
  return { Target: target, Status: connected ? "connected" : "notconnected" };
}
