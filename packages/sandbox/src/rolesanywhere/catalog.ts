// The Roles Anywhere resources a running sandbox knows: the world's, then those created through the API
// (kept in state.json as the service's record so a restart keeps them). Updating, enabling, disabling or
// deleting a world resource is recorded there too, as a replacement or a deletion by ARN: the world file stays
// what the user wrote, and the running service answers as if the change had been made.

import type { SandboxRuntime } from "../server/runtime.js";
import {
  emptyRolesAnywhere,
  type RaCrl,
  type RaProfile,
  type RolesAnywhereWorld,
  type TrustAnchor,
} from "./model.js";

const RECORD = "rolesanywhere";

type Resource = TrustAnchor | RaProfile | RaCrl;

/** The service record: created resources, and the changes made to the world's. */
interface Record_ extends RolesAnywhereWorld {
  /** ARN → the world resource as changed through the API. */
  replaced?: Record<string, Resource>;
  /** ARNs of world resources deleted through the API. */
  deleted?: string[];
}

function isRecord(value: unknown): value is Record_ {
  const v = value as Partial<Record_> | undefined;
  return (
    typeof v === "object" &&
    v !== null &&
    Array.isArray(v.trustAnchors) &&
    Array.isArray(v.profiles) &&
    Array.isArray(v.crls)
  );
}

function created(runtime: SandboxRuntime): Record_ {
  const record = runtime.state.serviceRecord(RECORD);
  return isRecord(record) ? record : emptyRolesAnywhere();
}

/** The world's resources as changed through the API (deleted ones left out). */
function worldAsChanged<T extends Resource>(items: T[], record: Record_): T[] {
  const deleted = new Set(record.deleted ?? []);
  return items
    .filter((item) => !deleted.has(item.arn))
    .map((item) => (record.replaced?.[item.arn] as T | undefined) ?? item);
}

/** World resources first, API-created ones after, each list in creation order. */
export function allResources(runtime: SandboxRuntime): RolesAnywhereWorld {
  const world = runtime.world.rolesAnywhere ?? emptyRolesAnywhere();
  const added = created(runtime);
  return {
    trustAnchors: [...worldAsChanged(world.trustAnchors, added), ...added.trustAnchors],
    profiles: [...worldAsChanged(world.profiles, added), ...added.profiles],
    crls: [...worldAsChanged(world.crls, added), ...added.crls],
  };
}

export function findTrustAnchor(runtime: SandboxRuntime, arnOrId: string): TrustAnchor | undefined {
  return allResources(runtime).trustAnchors.find((a) => a.arn === arnOrId || a.id === arnOrId);
}

export function findProfile(runtime: SandboxRuntime, arnOrId: string): RaProfile | undefined {
  return allResources(runtime).profiles.find((p) => p.arn === arnOrId || p.id === arnOrId);
}

export function findCrl(runtime: SandboxRuntime, arnOrId: string): RaCrl | undefined {
  return allResources(runtime).crls.find((c) => c.arn === arnOrId || c.id === arnOrId);
}

/** Enabled CRLs imported for one trust anchor. */
export function crlsOf(runtime: SandboxRuntime, trustAnchorArn: string): RaCrl[] {
  return allResources(runtime).crls.filter((c) => c.enabled && c.trustAnchorArn === trustAnchorArn);
}

type Kind = keyof RolesAnywhereWorld;

/** Stores a resource created through the API. */
export function addResource<K extends Kind>(
  runtime: SandboxRuntime,
  kind: K,
  resource: RolesAnywhereWorld[K][number],
): void {
  const record = created(runtime);
  (record[kind] as RolesAnywhereWorld[K][number][]).push(resource);
  runtime.state.setServiceRecord(RECORD, record);
}

/** Stores a changed resource (same ARN) in place of the one the catalog held. */
export function replaceResource<K extends Kind>(
  runtime: SandboxRuntime,
  kind: K,
  resource: RolesAnywhereWorld[K][number],
): void {
  const record = created(runtime);
  const list = record[kind] as Resource[];
  const at = list.findIndex((item) => item.arn === resource.arn);
  if (at >= 0) list[at] = resource;
  else record.replaced = { ...record.replaced, [resource.arn]: resource };
  runtime.state.setServiceRecord(RECORD, record);
}

/** Forgets a resource: an API-created one is removed, a world one recorded as deleted. */
export function deleteResource(runtime: SandboxRuntime, kind: Kind, arn: string): void {
  const record = created(runtime);
  const list = record[kind] as Resource[];
  const at = list.findIndex((item) => item.arn === arn);
  if (at >= 0) list.splice(at, 1);
  else {
    record.deleted = [...(record.deleted ?? []), arn];
    if (record.replaced) delete record.replaced[arn];
  }
  runtime.state.setServiceRecord(RECORD, record);
}
