// The IAM Roles Anywhere control plane (REST-JSON, signing name "rolesanywhere"): trust anchors, profiles and
// CRLs — create (import), list, get, update, enable, disable, delete. Each call is authorized with the
// sandbox's policy engine (rolesanywhere:<Action>, on the resource's ARN once there is one). CreateSession reads
// the same catalog, so a disabled or deleted anchor or profile refuses sessions, and a disabled CRL revokes none.

import { policyDocumentSchema } from "../policy/index.js";
import { AwsServiceError } from "../protocol/errors.js";
import type { ServiceCall } from "../server/runtime.js";
import type { RestJsonInput, RestJsonRoute, RestJsonServiceDefinition } from "../server/service-registry.js";
import { authorize } from "../services/authorize.js";
import { baseRequestContext } from "../services/request-context.js";
import { findRoleByArn } from "../services/world-lookup.js";
import {
  addResource,
  allResources,
  deleteResource,
  findCrl,
  findProfile,
  findTrustAnchor,
  replaceResource,
} from "./catalog.js";
import { checkCaBundle, readBundle } from "./certificates.js";
import {
  bundleOf,
  durationOf,
  nameOf,
  notFound,
  optionalBoolean,
  stringList,
  validation,
} from "./control-input.js";
import { crlView, profileView, trustAnchorView } from "./control-views.js";
import { CrlError, parseCrl } from "./crl.js";
import { newUuid, raArn } from "./ids.js";
import type { RaCrl, RaProfile, RolesAnywhereWorld, TrustAnchor } from "./model.js";

/** Asks the policy engine; AWS's Roles Anywhere names the denial AccessDeniedException. */
function allow(call: ServiceCall, resource = "*"): void {
  try {
    authorize(call, {
      action: `rolesanywhere:${call.action}`,
      resource,
      context: baseRequestContext(call),
      withReason: true,
    });
  } catch (error) {
    if (error instanceof AwsServiceError && error.code === "AccessDenied") {
      throw new AwsServiceError("AccessDeniedException", error.message, 403);
    }
    throw error;
  }
}

function createTrustAnchor(call: ServiceCall, { body }: RestJsonInput) {
  allow(call);
  const name = nameOf(body);
  const certificateBundle = bundleOf(body);
  const problem = checkCaBundle(certificateBundle);
  if (problem !== undefined) throw validation(`source.sourceData.x509CertificateData: ${problem}`);
  const id = newUuid();
  const anchor = {
    id,
    arn: raArn("trust-anchor", call.region, call.caller.account, id),
    name,
    account: call.caller.account,
    region: call.region,
    enabled: optionalBoolean(body, "enabled", false),
    certificateBundle,
    createdAt: new Date(call.now).toISOString(),
  };
  addResource(call.runtime, "trustAnchors", anchor);
  return { status: 201, body: { trustAnchor: trustAnchorView(anchor) } };
}

function checkProfileRoles(call: ServiceCall, roleArns: string[]): void {
  if (roleArns.length === 0) throw validation("roleArns: a profile names at least one role");
  const unknown = roleArns.find((arn) => !findRoleByArn(call.runtime.world, arn));
  if (unknown !== undefined) throw validation(`roleArns: no role ${unknown} in this account`);
}

function sessionPolicyOf(body: Record<string, unknown>): string | undefined {
  const text = body.sessionPolicy;
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = typeof text === "string" ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!policyDocumentSchema.safeParse(parsed).success)
    throw validation("sessionPolicy: not a valid IAM policy");
  return text as string;
}

function createProfile(call: ServiceCall, { body }: RestJsonInput) {
  allow(call);
  const roleArns = stringList(body, "roleArns");
  checkProfileRoles(call, roleArns);
  const id = newUuid();
  const profile = {
    id,
    arn: raArn("profile", call.region, call.caller.account, id),
    name: nameOf(body),
    account: call.caller.account,
    region: call.region,
    enabled: optionalBoolean(body, "enabled", false),
    roleArns,
    sessionPolicy: sessionPolicyOf(body),
    managedPolicyArns: stringList(body, "managedPolicyArns"),
    durationSeconds: durationOf(body),
    acceptRoleSessionName: optionalBoolean(body, "acceptRoleSessionName", false),
    createdAt: new Date(call.now).toISOString(),
  };
  addResource(call.runtime, "profiles", profile);
  return { status: 201, body: { profile: profileView(profile) } };
}

/** crlData (base64 DER), checked against the CAs of the anchor it is for. */
function crlDataOf(body: Record<string, unknown>, anchor: TrustAnchor): Buffer {
  const data = typeof body.crlData === "string" ? Buffer.from(body.crlData, "base64") : Buffer.alloc(0);
  try {
    parseCrl(data, readBundle(anchor.certificateBundle));
  } catch (error) {
    if (error instanceof CrlError) throw validation(`crlData: ${error.message}`);
    throw error;
  }
  return data;
}

function importCrl(call: ServiceCall, { body }: RestJsonInput) {
  allow(call);
  const anchorArn = typeof body.trustAnchorArn === "string" ? body.trustAnchorArn : "";
  const anchor = findTrustAnchor(call.runtime, anchorArn);
  if (!anchor || anchor.arn !== anchorArn) throw notFound();
  const data = crlDataOf(body, anchor);
  const id = newUuid();
  const crl = {
    id,
    arn: raArn("crl", anchor.region, anchor.account, id),
    name: nameOf(body),
    account: anchor.account,
    region: anchor.region,
    enabled: optionalBoolean(body, "enabled", false),
    trustAnchorArn: anchor.arn,
    crlDer: data.toString("base64"),
    createdAt: new Date(call.now).toISOString(),
  };
  addResource(call.runtime, "crls", crl);
  return { status: 201, body: { crl: crlView(crl) } };
}

/** Resources of the caller's account in the call's region, as AWS lists them. */
function mine<T extends { account: string; region: string }>(call: ServiceCall, items: T[]): T[] {
  return items.filter((item) => item.account === call.caller.account && item.region === call.region);
}

function getOne<T extends { account: string; arn: string }>(call: ServiceCall, found: T | undefined): T {
  if (!found || found.account !== call.caller.account) throw notFound();
  allow(call, found.arn);
  return found;
}

/** The three kinds by their API names: how each is found, shown, and wrapped in an answer. */
interface KindApi<T> {
  kind: keyof RolesAnywhereWorld;
  /** The answer's member: trustAnchor, profile, crl. */
  member: string;
  find: (call: ServiceCall, id: string) => T | undefined;
  view: (item: T) => Record<string, unknown>;
}

const ANCHORS: KindApi<TrustAnchor> = {
  kind: "trustAnchors",
  member: "trustAnchor",
  find: (call, id) => findTrustAnchor(call.runtime, id),
  view: trustAnchorView,
};
const PROFILES: KindApi<RaProfile> = {
  kind: "profiles",
  member: "profile",
  find: (call, id) => findProfile(call.runtime, id),
  view: profileView,
};
const CRLS: KindApi<RaCrl> = {
  kind: "crls",
  member: "crl",
  find: (call, id) => findCrl(call.runtime, id),
  view: crlView,
};

type Changeable = TrustAnchor | RaProfile | RaCrl;

/** Update/Enable/Disable: the resource changed by `change`, stored, and answered with its new view. */
function changeOne<T extends Changeable>(
  api: KindApi<T>,
  change: (item: T, body: Record<string, unknown>, call: ServiceCall) => Partial<T>,
) {
  return (call: ServiceCall, { labels, body }: RestJsonInput) => {
    const id = Object.values(labels)[0]!;
    const item = getOne(call, api.find(call, id));
    const next = { ...item, ...change(item, body, call), updatedAt: new Date(call.now).toISOString() } as T;
    replaceResource(call.runtime, api.kind, next as never);
    return { body: { [api.member]: api.view(next) } };
  };
}

function deleteOne<T extends Changeable>(api: KindApi<T>) {
  return (call: ServiceCall, { labels }: RestJsonInput) => {
    const item = getOne(call, api.find(call, Object.values(labels)[0]!));
    deleteResource(call.runtime, api.kind, item.arn);
    return { body: { [api.member]: api.view(item) } };
  };
}

const enabled =
  <T extends Changeable>(value: boolean) =>
  (): Partial<T> =>
    ({ enabled: value }) as Partial<T>;

function trustAnchorChanges(_anchor: TrustAnchor, body: Record<string, unknown>): Partial<TrustAnchor> {
  const changes: Partial<TrustAnchor> = {};
  if (body.name !== undefined) changes.name = nameOf(body);
  if (body.source !== undefined) {
    const bundle = bundleOf(body);
    const problem = checkCaBundle(bundle);
    if (problem !== undefined) throw validation(`source.sourceData.x509CertificateData: ${problem}`);
    changes.certificateBundle = bundle;
  }
  return changes;
}

function profileChanges(
  _profile: RaProfile,
  body: Record<string, unknown>,
  call: ServiceCall,
): Partial<RaProfile> {
  const changes: Partial<RaProfile> = {};
  if (body.name !== undefined) changes.name = nameOf(body);
  if (body.roleArns !== undefined) {
    changes.roleArns = stringList(body, "roleArns");
    checkProfileRoles(call, changes.roleArns);
  }
  if (body.managedPolicyArns !== undefined) changes.managedPolicyArns = stringList(body, "managedPolicyArns");
  if (body.sessionPolicy !== undefined) changes.sessionPolicy = sessionPolicyOf(body);
  if (body.durationSeconds !== undefined) changes.durationSeconds = durationOf(body);
  if (body.acceptRoleSessionName !== undefined)
    changes.acceptRoleSessionName = optionalBoolean(body, "acceptRoleSessionName", false);
  return changes;
}

function crlChanges(crl: RaCrl, body: Record<string, unknown>, call: ServiceCall): Partial<RaCrl> {
  const changes: Partial<RaCrl> = {};
  if (body.name !== undefined) changes.name = nameOf(body);
  if (body.crlData !== undefined) {
    const anchor = findTrustAnchor(call.runtime, crl.trustAnchorArn);
    if (!anchor) throw validation("crlData: the CRL's trust anchor no longer exists");
    changes.crlDer = crlDataOf(body, anchor).toString("base64");
  }
  return changes;
}

/** Update (PATCH), Enable, Disable and Delete of one kind, at AWS's paths. */
function lifecycleRoutes<T extends Changeable>(
  api: KindApi<T>,
  path: string,
  noun: string,
  changes: (item: T, body: Record<string, unknown>, call: ServiceCall) => Partial<T>,
): RestJsonRoute[] {
  return [
    { method: "PATCH", path, action: `Update${noun}`, run: changeOne(api, changes) },
    {
      method: "POST",
      path: `${path}/enable`,
      action: `Enable${noun}`,
      run: changeOne(api, enabled<T>(true)),
    },
    {
      method: "POST",
      path: `${path}/disable`,
      action: `Disable${noun}`,
      run: changeOne(api, enabled<T>(false)),
    },
    { method: "DELETE", path, action: `Delete${noun}`, run: deleteOne(api) },
  ];
}

const routes: RestJsonRoute[] = [
  ...lifecycleRoutes(ANCHORS, "/trustanchor/{trustAnchorId}", "TrustAnchor", trustAnchorChanges),
  ...lifecycleRoutes(PROFILES, "/profile/{profileId}", "Profile", profileChanges),
  ...lifecycleRoutes(CRLS, "/crl/{crlId}", "Crl", crlChanges),
  { method: "POST", path: "/trustanchors", action: "CreateTrustAnchor", run: createTrustAnchor },
  { method: "POST", path: "/profiles", action: "CreateProfile", run: createProfile },
  { method: "POST", path: "/crls", action: "ImportCrl", run: importCrl },
  {
    method: "GET",
    path: "/trustanchors",
    action: "ListTrustAnchors",
    run: (call) => {
      allow(call);
      return {
        body: { trustAnchors: mine(call, allResources(call.runtime).trustAnchors).map(trustAnchorView) },
      };
    },
  },
  {
    method: "GET",
    path: "/profiles",
    action: "ListProfiles",
    run: (call) => {
      allow(call);
      return { body: { profiles: mine(call, allResources(call.runtime).profiles).map(profileView) } };
    },
  },
  {
    method: "GET",
    path: "/crls",
    action: "ListCrls",
    run: (call) => {
      allow(call);
      return { body: { crls: mine(call, allResources(call.runtime).crls).map(crlView) } };
    },
  },
  {
    method: "GET",
    path: "/trustanchor/{trustAnchorId}",
    action: "GetTrustAnchor",
    run: (call, { labels }) => ({
      body: {
        trustAnchor: trustAnchorView(getOne(call, findTrustAnchor(call.runtime, labels.trustAnchorId!))),
      },
    }),
  },
  {
    method: "GET",
    path: "/profile/{profileId}",
    action: "GetProfile",
    run: (call, { labels }) => ({
      body: { profile: profileView(getOne(call, findProfile(call.runtime, labels.profileId!))) },
    }),
  },
  {
    method: "GET",
    path: "/crl/{crlId}",
    action: "GetCrl",
    run: (call, { labels }) => ({
      body: { crl: crlView(getOne(call, findCrl(call.runtime, labels.crlId!))) },
    }),
  },
];

export const rolesAnywhereControlPlane: RestJsonServiceDefinition = {
  signingName: "rolesanywhere",
  protocol: "rest-json",
  routes,
};
