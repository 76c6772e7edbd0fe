// DeregisterManagedInstance and the tag calls for managed nodes (AddTagsToResource, ListTagsForResource,
// RemoveTagsFromResource with ResourceType ManagedInstance), so an ABAC policy's `aws:ResourceTag/Project`
// on `managed-instance/*` sees the tags an administrator sets. Declared and registered nodes alike.

import { AwsServiceError } from "../../protocol/errors.js";
import type { ServiceCall } from "../../server/runtime.js";
import type { Instance, Tags } from "../../world/model.js";
import { findInstance, instanceArn, isManagedNode, resourceTagContext } from "../ec2/instance-resource.js";
import { JsonInput } from "../ssm/json-input.js";
import { authorizeSsm } from "../ssm/ssm-authorize.js";
import {
  managedNodes,
  saveManagedNodes,
  saveWorldNodeTags,
  updateManagedNode,
  worldNodeTags,
} from "./hybrid-records.js";
import { isDeclaredNode, syncManagedNodes } from "./managed-node-world.js";
import { MAX_TAGS, readTags, tagList } from "./tag-list.js";

const RESOURCE_TYPES = [
  "Document",
  "ManagedInstance",
  "MaintenanceWindow",
  "Parameter",
  "PatchBaseline",
  "OpsItem",
  "OpsMetadata",
  "Automation",
  "Association",
];

/** The managed node a tag or deregistration call names, after the caller is allowed `action` on it. */
function nodeFor(call: ServiceCall, action: string, id: string): Instance {
  const { runtime, caller, region } = call;
  const instance = isManagedNode(id) ? findInstance(runtime.world, caller.account, region, id) : undefined;
  authorizeSsm(call, {
    action,
    resource: instanceArn(region, caller.account, id),
    context: resourceTagContext(instance?.tags ?? {}, ["ssm:resourceTag"]),
  });
  if (!instance) {
    throw new AwsServiceError(
      action === "ssm:DeregisterManagedInstance" ? "InvalidInstanceId" : "InvalidResourceId",
      `The managed node ${id} is not registered in ${region}.`,
      400,
    );
  }
  return instance;
}

function readTagTarget(input: JsonInput): string {
  const type = input.string("ResourceType", { required: true, oneOf: RESOURCE_TYPES });
  const id = input.string("ResourceId", { required: true, min: 1 })!;
  if (type !== undefined && type !== "ManagedInstance" && RESOURCE_TYPES.includes(type)) {
    throw new AwsServiceError(
      "InvalidResourceType",
      `The sandbox keeps tags for ManagedInstance resources only, not ${type}.`,
      400,
    );
  }
  return id;
}

function setTags(call: ServiceCall, instance: Instance, tags: Tags): void {
  const { runtime } = call;
  if (isDeclaredNode(runtime, instance.id)) {
    saveWorldNodeTags(runtime, { ...worldNodeTags(runtime), [instance.id]: tags });
  } else {
    updateManagedNode(runtime, instance.id, (n) => ({ ...n, tags }));
  }
  syncManagedNodes(runtime);
}

export function addTagsToResource(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const id = readTagTarget(input);
  const tags = readTags(input, "Tags");
  input.done();
  if (tags === undefined) throw new AwsServiceError("ValidationException", "Tags must not be null.", 400);
  const instance = nodeFor(call, "ssm:AddTagsToResource", id);
  const merged = { ...instance.tags, ...tags };
  if (Object.keys(merged).length > MAX_TAGS) {
    throw new AwsServiceError("TooManyTagsError", `A resource can have at most ${MAX_TAGS} tags.`, 400);
  }
  setTags(call, instance, merged);
  return {};
}

export function removeTagsFromResource(call: ServiceCall, body: Record<string, unknown>) {
  const keys = body.TagKeys;
  const input = new JsonInput({ ...body, TagKeys: undefined });
  const id = readTagTarget(input);
  input.done();
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== "string")) {
    throw new AwsServiceError("ValidationException", "TagKeys must be a list of tag keys.", 400);
  }
  const instance = nodeFor(call, "ssm:RemoveTagsFromResource", id);
  const kept = Object.fromEntries(Object.entries(instance.tags).filter(([k]) => !keys.includes(k)));
  setTags(call, instance, kept);
  return {};
}

export function listTagsForResource(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const id = readTagTarget(input);
  input.done();
  return { TagList: tagList(nodeFor(call, "ssm:ListTagsForResource", id).tags) };
}

export function deregisterManagedInstance(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const id = input.string("InstanceId", { required: true, min: 20, max: 124, pattern: /^mi-[0-9a-f]{17}$/ })!;
  input.done();
  const instance = nodeFor(call, "ssm:DeregisterManagedInstance", id);
  if (isDeclaredNode(call.runtime, instance.id)) {
    throw new AwsServiceError(
      "InvalidInstanceId",
      `${id} is declared in the sandbox's world file: remove it there to retire it.`,
      400,
    );
  }
  const { [id]: _gone, ...rest } = managedNodes(call.runtime);
  saveManagedNodes(call.runtime, rest);
  syncManagedNodes(call.runtime);
  return {};
}
