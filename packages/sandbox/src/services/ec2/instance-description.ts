// One instance as DescribeInstances lays it out (`reservationSet/item/instancesSet/item`), with the ids EC2
// would show (AMI, VPC, subnet, reservation) derived from the instance id so they stay the same across runs.

import { createHash } from "node:crypto";
import type { XmlObject } from "../../protocol/xml.js";
import { uniqueIdFor } from "../../world/ids.js";
import type { Instance } from "../../world/model.js";
import { type InstanceRunState, STATE_CODES } from "./instance-state.js";

/** `prefix-` and 17 hex digits, stable for the instance. */
function derivedId(prefix: string, instance: Instance): string {
  const hex = createHash("sha256")
    .update(`${prefix}\u0000${instance.account}\u0000${instance.id}`)
    .digest("hex");
  return `${prefix}-${hex.slice(0, 17)}`;
}

/** When the world's instances were launched: a fixed time, so answers are the same across runs. */
const WORLD_LAUNCH_TIME = "2024-04-01T00:00:00.000Z";

export function stateXml(state: InstanceRunState): XmlObject {
  return { code: STATE_CODES[state], name: state };
}

export interface DescribedInstance {
  instance: Instance;
  state: InstanceRunState;
  stateReason: string;
}

function instanceProfile(instance: Instance): XmlObject | undefined {
  if (instance.role === "") return undefined;
  // Instance profiles carry AIPA ids; the body after the prefix is formed as for the role's other ids.
  const id = `AIPA${uniqueIdFor("AROA", instance.account, `instance-profile/${instance.role}`).slice(4)}`;
  return { arn: `arn:aws:iam::${instance.account}:instance-profile/${instance.role}`, id };
}

function instanceXml({ instance, state, stateReason }: DescribedInstance): XmlObject {
  const windows = instance.platform === "Windows";
  const stopped = state === "stopped" || state === "stopping";
  return {
    instanceId: instance.id,
    imageId: derivedId("ami", instance),
    instanceState: stateXml(state),
    privateDnsName: instance.privateDnsName,
    dnsName: "",
    reason: stateReason,
    amiLaunchIndex: 0,
    instanceType: "t3.micro",
    launchTime: WORLD_LAUNCH_TIME,
    placement: { availabilityZone: `${instance.region}a`, groupName: "", tenancy: "default" },
    platform: windows ? "windows" : undefined,
    monitoring: { state: "disabled" },
    subnetId: derivedId("subnet", instance),
    vpcId: derivedId("vpc", instance),
    privateIpAddress: instance.privateIp,
    sourceDestCheck: true,
    groupSet: [],
    stateReason: stopped
      ? {
          code: "Client.UserInitiatedShutdown",
          message: "Client.UserInitiatedShutdown: User initiated shutdown",
        }
      : undefined,
    architecture: "x86_64",
    rootDeviceType: "ebs",
    rootDeviceName: windows ? "/dev/sda1" : "/dev/xvda",
    virtualizationType: "hvm",
    tagSet: Object.entries(instance.tags).map(([key, value]) => ({ key, value })),
    hypervisor: "xen",
    iamInstanceProfile: instanceProfile(instance),
    ebsOptimized: false,
    enaSupport: true,
    platformDetails: windows ? "Windows" : "Linux/UNIX",
  };
}

/** One reservation per instance, as instances launched one at a time have. */
export function reservationXml(described: DescribedInstance): XmlObject {
  return {
    reservationId: derivedId("r", described.instance),
    ownerId: described.instance.account,
    groupSet: [],
    instancesSet: [instanceXml(described)],
  };
}
