// Finds session targets: EC2 instances (DescribeInstances with filters) joined with what SSM knows of them
// (DescribeInstanceInformation: ping status, platform), plus hybrid managed nodes (mi-…) that only SSM knows.
import type { Filter, Instance } from "@aws-sdk/client-ec2";
import {
  type InstanceInformation,
  type InstanceInformationStringFilter,
  paginateDescribeInstanceInformation,
} from "@aws-sdk/client-ssm";
import { awsCallError, awsErrorFacts } from "./aws-error-text.js";
import { addManagedNodeTags } from "./managed-node-tags.js";
import type { ProfileAccess } from "./profile-access.js";
import type { TargetQuery } from "./target-query.js";

export interface Target {
  /** i-… or mi-…: what StartSession takes. */
  id: string;
  kind: "ec2" | "managed";
  /** The Name tag (EC2) or the node's registered name (hybrid); "" when none. */
  name: string;
  /** EC2 state name (running, stopped, …); "" for managed nodes and when EC2 could not be asked. */
  state: string;
  /** SSM's PingStatus (Online, ConnectionLost, Inactive); "" when SSM does not know the instance. */
  pingStatus: string;
  /** Linux, Windows, MacOS; "" when unknown. */
  platform: string;
  /** The Project tag; "" when none. */
  project: string;
  privateIp: string;
  privateDnsName: string;
  tags: Record<string, string>;
  agentVersion: string;
}

/** Whether the lookup could consult each service (a denied Describe call leaves its columns unknown). */
export interface TargetLookup {
  targets: Target[];
  ec2Known: boolean;
  ssmKnown: boolean;
}

const LIVE_STATES = ["pending", "running", "stopping", "stopped"];
const DENIED = new Set(["AccessDeniedException", "AccessDenied", "UnauthorizedOperation"]);

/** Every target matching the query (all targets when none), sorted by name then id. */
export async function findTargets(access: ProfileAccess, query?: TargetQuery): Promise<TargetLookup> {
  const ec2 = await ec2Instances(access, query);
  const ssm = await ssmNodes(access, query, ec2.instances);
  const byId = new Map(ssm.nodes.map((node) => [node.InstanceId ?? "", node]));
  const targets: Target[] = ec2.instances.map((instance) =>
    fromEc2(instance, byId.get(instance.InstanceId ?? "")),
  );
  for (const node of ssm.nodes) {
    if (node.ResourceType === "ManagedInstance" && matchesManaged(node, query))
      targets.push(fromManaged(node));
  }
  // An instance id EC2 would not describe to us (denied) is still worth trying: StartSession decides.
  const unlisted =
    (query?.kind === "instance-id" && !ec2.known) || (query?.kind === "managed-id" && !ssm.known);
  if (unlisted && targets.length === 0) {
    const node = byId.get(query.id);
    targets.push(node ? fromManaged({ ...node, ResourceType: "EC2Instance" }, "ec2") : bareTarget(query.id));
  }
  await addManagedNodeTags(access, targets);
  targets.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { targets, ec2Known: ec2.known, ssmKnown: ssm.known };
}

function ec2Filters(query: TargetQuery | undefined): Filter[] | undefined {
  const live: Filter = { Name: "instance-state-name", Values: LIVE_STATES };
  switch (query?.kind) {
    case undefined:
      return [live];
    case "instance-id":
      return [{ Name: "instance-id", Values: [query.id] }, live];
    case "managed-id":
      return undefined; // only SSM knows hybrid nodes
    case "tag":
      return [{ Name: `tag:${query.key}`, Values: [query.value] }, live];
    case "ip":
      return [{ Name: "private-ip-address", Values: [query.ip] }, live];
    case "dns":
      // "ip-10-0-1-10" alone matches the full name in any region's domain.
      return [
        { Name: "private-dns-name", Values: [query.name.includes(".") ? query.name : `${query.name}.*`] },
        live,
      ];
    case "name":
      return [{ Name: "tag:Name", Values: [query.name] }, live];
  }
}

async function ec2Instances(
  access: ProfileAccess,
  query: TargetQuery | undefined,
): Promise<{ instances: Instance[]; known: boolean }> {
  const filters = ec2Filters(query);
  if (filters === undefined) return { instances: [], known: true };
  // Loaded here, not at the top: a lookup of an mi-… id (only SSM knows it) never pays for the EC2 client.
  const [{ paginateDescribeInstances }, client] = await Promise.all([
    import("@aws-sdk/client-ec2"),
    access.ec2(),
  ]);
  const instances: Instance[] = [];
  try {
    for await (const page of paginateDescribeInstances({ client }, { Filters: filters })) {
      for (const reservation of page.Reservations ?? []) instances.push(...(reservation.Instances ?? []));
    }
  } catch (error) {
    // Without ec2:DescribeInstances an instance id can still be used as it is; anything else cannot be looked up.
    if (query?.kind === "instance-id" && DENIED.has(awsErrorFacts(error).code))
      return { instances: [], known: false };
    throw awsCallError(error, "DescribeInstances", { profile: access.profile });
  }
  return { instances, known: true };
}

async function ssmNodes(
  access: ProfileAccess,
  query: TargetQuery | undefined,
  instances: Instance[],
): Promise<{ nodes: InstanceInformation[]; known: boolean }> {
  const requests: InstanceInformationStringFilter[][] = [];
  const ids = instances.map((instance) => instance.InstanceId).filter((id): id is string => id !== undefined);
  // The InstanceIds filter takes at most 50 values.
  for (let i = 0; i < ids.length; i += 50)
    requests.push([{ Key: "InstanceIds", Values: ids.slice(i, i + 50) }]);
  if (query?.kind === "managed-id" || query?.kind === "instance-id") {
    if (ids.length === 0) requests.push([{ Key: "InstanceIds", Values: [query.id] }]);
  } else if (query?.kind === "tag") {
    // SSM refuses a tag filter beside any other ("Cannot mix tag or inventory filter with any other
    // filter"): EC2 nodes it returns too are dropped below, where only ManagedInstance nodes are kept.
    requests.push([
      {
        Key: query.value === "*" ? "tag-key" : `tag:${query.key}`,
        Values: [query.value === "*" ? query.key : query.value],
      },
    ]);
  } else {
    requests.push([{ Key: "ResourceType", Values: ["ManagedInstance"] }]);
  }
  const nodes: InstanceInformation[] = [];
  try {
    for (const filters of requests) {
      for await (const page of paginateDescribeInstanceInformation(
        { client: access.ssm, pageSize: 50 },
        { Filters: filters },
      )) {
        nodes.push(...(page.InstanceInformationList ?? []));
      }
    }
  } catch (error) {
    // Ping status is a nicety: without ssm:DescribeInstanceInformation, StartSession still says what it thinks.
    if (DENIED.has(awsErrorFacts(error).code)) return { nodes: [], known: false };
    throw awsCallError(error, "DescribeInstanceInformation", { profile: access.profile });
  }
  const seen = new Set<string>();
  return {
    nodes: nodes.filter((node) => {
      const id = node.InstanceId ?? "";
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    }),
    known: true,
  };
}

/** Hybrid nodes carry no EC2 tags in DescribeInstanceInformation: match what it does say. */
function matchesManaged(node: InstanceInformation, query: TargetQuery | undefined): boolean {
  switch (query?.kind) {
    case undefined:
    case "tag": // the tag filter was applied by SSM
      return true;
    case "instance-id":
      return false;
    case "managed-id":
      return node.InstanceId === query.id;
    case "ip":
      return node.IPAddress === query.ip;
    case "dns":
      return node.ComputerName === query.name || node.ComputerName?.startsWith(`${query.name}.`) === true;
    case "name":
      return wildcard(query.name).test(node.Name ?? "") || wildcard(query.name).test(node.ComputerName ?? "");
  }
}

/** EC2's filter wildcards (`*`, `?`) for the names SSM returns. */
function wildcard(pattern: string): RegExp {
  const body = [...pattern]
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}$`);
}

function tagsOf(instance: Instance): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of instance.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? "";
  return tags;
}

function platformOf(instance: Instance, node: InstanceInformation | undefined): string {
  if (node?.PlatformType) return node.PlatformType;
  if (
    String(instance.Platform ?? "").toLowerCase() === "windows" ||
    instance.PlatformDetails?.startsWith("Windows")
  )
    return "Windows";
  if (instance.PlatformDetails) return "Linux";
  return "";
}

function fromEc2(instance: Instance, node: InstanceInformation | undefined): Target {
  const tags = tagsOf(instance);
  return {
    id: instance.InstanceId ?? "",
    kind: "ec2",
    name: tags.Name ?? "",
    state: instance.State?.Name ?? "",
    pingStatus: node?.PingStatus ?? "",
    platform: platformOf(instance, node),
    project: tags.Project ?? "",
    privateIp: instance.PrivateIpAddress ?? "",
    privateDnsName: instance.PrivateDnsName ?? "",
    tags,
    agentVersion: node?.AgentVersion ?? "",
  };
}

function fromManaged(node: InstanceInformation, kind: Target["kind"] = "managed"): Target {
  return {
    id: node.InstanceId ?? "",
    kind,
    name: node.Name ?? "",
    state: "",
    pingStatus: node.PingStatus ?? "",
    platform: node.PlatformType ?? "",
    project: "",
    privateIp: node.IPAddress ?? "",
    privateDnsName: kind === "ec2" ? (node.ComputerName ?? "") : "",
    tags: {},
    agentVersion: node.AgentVersion ?? "",
  };
}

function bareTarget(id: string): Target {
  return {
    id,
    kind: id.startsWith("mi-") ? "managed" : "ec2",
    name: "",
    state: "",
    pingStatus: "",
    platform: "",
    project: "",
    privateIp: "",
    privateDnsName: "",
    tags: {},
    agentVersion: "",
  };
}
