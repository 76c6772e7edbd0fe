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
import { activationOf, registeredNodeFields } from "../hybrid/hybrid.js";
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
  /** The hybrid activation a managed node registered through (a registration's, or the world file's). */
  activationId: string | undefined;
}

type NodeField = (facts: NodeFacts) => string[];

const FIELDS: Record<string, NodeField> = {
  InstanceIds: ({ instance }) => [instance.id],
  AgentVersion: () => [SANDBOX_AGENT_VERSION],
  PingStatus: ({ online }) => [online ? "Online" : "ConnectionLost"],
  PlatformTypes: ({ instance }) => [instance.platform],
  ResourceType: ({ instance }) => [resourceTypeOf(instance)],
  IamRole: ({ instance }) => [instance.role],
  AssociationStatus: () => ["Success"],
  ActivationIds: ({ activationId }) => (activationId === undefined ? [] : [activationId]),
  SourceIds: ({ instance }) => [instance.id],
  SourceTypes: ({ instance }) => [
    isManagedNode(instance.id) ? "AWS::SSM::ManagedInstance" : "AWS::EC2::Instance",
  ],
  "tag-key": ({ instance }) => Object.keys(instance.tags),
};

/** The keys the legacy InstanceInformationFilterList takes: no tags, no sources (AWS's model). */
const LEGACY_KEYS = new Set([
  "InstanceIds",
  "AgentVersion",
  "PingStatus",
  "PlatformTypes",
  "ActivationIds",
  "IamRole",
  "ResourceType",
  "AssociationStatus",
]);

/** The values AWS documents for the keys that have a fixed set; any other is refused. */
const ALLOWED_VALUES: Record<string, readonly string[]> = {
  PingStatus: ["Online", "ConnectionLost", "Inactive"],
  PlatformTypes: ["Windows", "Linux", "MacOS"],
  AssociationStatus: ["Success", "Pending", "Failed"],
  ResourceType: ["EC2Instance", "ManagedInstance"],
  SourceTypes: ["AWS::EC2::Instance", "AWS::SSM::ManagedInstance", "AWS::IoT::Thing"],
};

const MAX_FILTER_VALUES = 100;
const INSTANCE_ID = /^(i-[0-9a-f]{8}|i-[0-9a-f]{17}|mi-[0-9a-f]{17})$/;

function resourceTypeOf(instance: Instance): string {
  return isManagedNode(instance.id) ? "ManagedInstance" : "EC2Instance";
}

function isTagKey(key: string): boolean {
  return key === "tag-key" || key.startsWith("tag:");
}

function fieldOf(key: string): NodeField {
  if (key.startsWith("tag:") && key.length > 4) {
    const tag = key.slice(4);
    return ({ instance }) => (instance.tags[tag] === undefined ? [] : [instance.tags[tag]!]);
  }
  const field = Object.hasOwn(FIELDS, key) ? FIELDS[key] : undefined;
  if (!field) throw new AwsServiceError("InvalidFilterKey", `The filter key ${key} is not valid.`, 400);
  return field;
}

function filterValueError(message: string): AwsServiceError {
  return new AwsServiceError("InvalidInstanceInformationFilterValue", message, 400);
}

/** The checks AWS makes of one filter's values (the messages of ResourceType are the ones AWS users report). */
function checkValues(key: string, values: string[]): void {
  if (values.length > MAX_FILTER_VALUES) {
    throw new AwsServiceError(
      "ValidationException",
      `The filter ${key} has ${values.length} values; at most ${MAX_FILTER_VALUES} are allowed.`,
      400,
    );
  }
  if (key === "ResourceType" && values.length > 1)
    throw filterValueError("ResourceType filter may contain only one value.");
  const allowed = ALLOWED_VALUES[key];
  const bad = allowed === undefined ? undefined : values.find((v) => !allowed.includes(v));
  if (bad !== undefined) {
    throw filterValueError(
      key === "ResourceType"
        ? "ResourceType filter is invalid, valid values are EC2Instance, ManagedInstance"
        : `${key} filter value ${bad} is invalid, valid values are ${allowed!.join(", ")}`,
    );
  }
  const badId = key === "InstanceIds" ? values.find((v) => !INSTANCE_ID.test(v)) : undefined;
  if (badId !== undefined) {
    throw new AwsServiceError("InvalidInstanceId", `Instance ${badId} is not a valid instance id.`, 400);
  }
}

/**
 * Both filter spellings: `Filters [{Key, Values}]` and the legacy `InstanceInformationFilterList [{key,
 * valueSet}]`, never together; a tag filter goes with no other filter. Filters are ANDed, values ORed.
 */
function readNodeFilters(input: JsonInput): ((facts: NodeFacts) => boolean)[] {
  const newer = (input.structList("Filters") ?? []).map((f) => ({
    key: f.Key,
    values: f.Values,
    legacy: false,
  }));
  const older = (input.structList("InstanceInformationFilterList") ?? []).map((f) => ({
    key: f.key,
    values: f.valueSet,
    legacy: true,
  }));
  if (newer.length > 0 && older.length > 0) {
    throw new AwsServiceError(
      "ValidationException",
      "Use either Filters or the legacy InstanceInformationFilterList, not both.",
      400,
    );
  }
  const filters = [...newer, ...older];
  const keys = filters.map((f) => f.key);
  if (keys.some((k) => typeof k === "string" && isTagKey(k)) && filters.length > 1) {
    throw new AwsServiceError(
      "ValidationException",
      "Cannot mix tag or inventory filter with any other filter.",
      400,
    );
  }
  return filters.map(({ key, values, legacy }) => {
    if (typeof key !== "string") throw new AwsServiceError("InvalidFilterKey", "A filter needs a key.", 400);
    if (legacy && !LEGACY_KEYS.has(key)) {
      throw new AwsServiceError(
        "InvalidFilterKey",
        `The filter key ${key} is not valid in InstanceInformationFilterList (tag filters need Filters).`,
        400,
      );
    }
    if (
      !Array.isArray(values) ||
      values.length === 0 ||
      values.some((v) => typeof v !== "string" || v === "")
    ) {
      throw filterValueError(`The filter ${key} needs one or more non-empty string values.`);
    }
    const field = fieldOf(key);
    checkValues(key, values as string[]);
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
    ResourceType: resourceTypeOf(instance),
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
    .map((instance) => ({
      instance,
      online: isOnlineForSsm(call.runtime, instance),
      activationId: activationOf(call.runtime, instance),
    }))
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
