// The Roles Anywhere resources a running sandbox knows: the world's, then those created through the API
// (kept in state.json as the service's record so a restart keeps them).

import type { SandboxRuntime } from "../server/runtime.js";
import {
  emptyRolesAnywhere,
  type RaCrl,
  type RaProfile,
  type RolesAnywhereWorld,
  type TrustAnchor,
} from "./model.js";

const RECORD = "rolesanywhere";

function isRecord(value: unknown): value is RolesAnywhereWorld {
  const v = value as Partial<RolesAnywhereWorld> | undefined;
  return (
    typeof v === "object" &&
    v !== null &&
    Array.isArray(v.trustAnchors) &&
    Array.isArray(v.profiles) &&
    Array.isArray(v.crls)
  );
}

function created(runtime: SandboxRuntime): RolesAnywhereWorld {
  const record = runtime.state.serviceRecord(RECORD);
  return isRecord(record) ? record : emptyRolesAnywhere();
}

/** World resources first, API-created ones after, each list in creation order. */
export function allResources(runtime: SandboxRuntime): RolesAnywhereWorld {
  const world = runtime.world.rolesAnywhere ?? emptyRolesAnywhere();
  const added = created(runtime);
  return {
    trustAnchors: [...world.trustAnchors, ...added.trustAnchors],
    profiles: [...world.profiles, ...added.profiles],
    crls: [...world.crls, ...added.crls],
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
