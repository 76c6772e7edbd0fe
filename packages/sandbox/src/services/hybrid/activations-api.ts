// CreateActivation, DescribeActivations and DeleteActivation: what an administrator does before a server's
// agent can register. The code is shown once, in CreateActivation's answer; SSM keeps only its hash.

import { createHash, randomBytes, randomUUID } from "node:crypto";
import { AwsServiceError } from "../../protocol/errors.js";
import type { ServiceCall } from "../../server/runtime.js";
import { authorize } from "../authorize.js";
import { baseRequestContext } from "../request-context.js";
import { JsonInput } from "../ssm/json-input.js";
import { readPage } from "../ssm/paging.js";
import { authorizeSsm } from "../ssm/ssm-authorize.js";
import { type ActivationRecord, activations, saveActivations } from "./hybrid-records.js";
import { findServiceRole, SSM_SERVICE_PRINCIPAL, trustsSsm } from "./node-role.js";
import { readTags, tagList } from "./tag-list.js";

const DAY_MS = 24 * 3600 * 1000;
/** Without an ExpirationDate an activation lasts 24 hours; it may last at most 30 days. */
const DEFAULT_LIFETIME_MS = DAY_MS;
const MAX_LIFETIME_MS = 30 * DAY_MS;

export function codeHash(code: string): string {
  return createHash("sha256").update(code).digest("hex");
}

function invalidParameters(message: string): AwsServiceError {
  return new AwsServiceError("InvalidParameters", message, 400);
}

/** iam:PassRole: handing the role to SSM is itself a permission the caller needs. */
function authorizePassRole(call: ServiceCall, roleArn: string): void {
  try {
    authorize(call, {
      action: "iam:PassRole",
      resource: roleArn,
      context: { ...baseRequestContext(call), "iam:PassedToService": SSM_SERVICE_PRINCIPAL },
      withReason: true,
    });
  } catch (error) {
    if (error instanceof AwsServiceError && error.code === "AccessDenied") {
      throw new AwsServiceError("AccessDeniedException", error.message, 400);
    }
    throw error;
  }
}

function readCreateInput(call: ServiceCall, body: Record<string, unknown>) {
  const timestamp = body.ExpirationDate;
  const input = new JsonInput({ ...body, ExpirationDate: undefined });
  const description = input.string("Description", { max: 256 });
  const defaultInstanceName = input.string("DefaultInstanceName", { max: 256 });
  const iamRole = input.string("IamRole", { required: true, max: 64 })!;
  const registrationLimit = input.integer("RegistrationLimit", { min: 1, max: 1000 }) ?? 1;
  const tags = readTags(input, "Tags") ?? {};
  input.structList("RegistrationMetadata");
  input.done();
  if (timestamp !== undefined && typeof timestamp !== "number") {
    throw new AwsServiceError("SerializationException", "ExpirationDate must be a timestamp.", 400);
  }
  const expiresAt = timestamp === undefined ? call.now + DEFAULT_LIFETIME_MS : Math.floor(timestamp * 1000);
  if (expiresAt <= call.now) throw invalidParameters("ExpirationDate must be in the future.");
  if (expiresAt > call.now + MAX_LIFETIME_MS) {
    throw invalidParameters("ExpirationDate can be at most 30 days from now.");
  }
  return { description, defaultInstanceName, iamRole, registrationLimit, tags, expiresAt };
}

export function createActivation(call: ServiceCall, body: Record<string, unknown>) {
  const request = readCreateInput(call, body);
  const { account } = call.caller;
  // The role is named, not an ARN; a path-qualified name ("service-role/X") names its last part.
  const roleName = request.iamRole.split("/").pop() ?? request.iamRole;
  const role = findServiceRole(call.runtime, account, roleName);
  const roleArn = role?.arn ?? `arn:aws:iam::${account}:role/${request.iamRole}`;
  authorizeSsm(call, { action: "ssm:CreateActivation", resource: "*" });
  authorizePassRole(call, roleArn);
  if (!role)
    throw invalidParameters(`Nonexistent role or missing ssm service principal in trust policy: ${roleArn}`);
  if (!trustsSsm(role, call.now)) {
    throw invalidParameters(`Nonexistent role or missing ssm service principal in trust policy: ${roleArn}`);
  }
  const code = randomBytes(15).toString("base64");
  const record: ActivationRecord = {
    id: randomUUID(),
    codeHash: codeHash(code),
    account,
    region: call.region,
    description: request.description,
    defaultInstanceName: request.defaultInstanceName,
    iamRole: role.name,
    registrationLimit: request.registrationLimit,
    registrationsCount: 0,
    expirationDate: new Date(request.expiresAt).toISOString(),
    createdDate: new Date(call.now).toISOString(),
    tags: request.tags,
  };
  saveActivations(call.runtime, { ...activations(call.runtime), [record.id]: record });
  return { ActivationId: record.id, ActivationCode: code };
}

const FILTER_FIELDS: Record<string, (a: ActivationRecord) => string | undefined> = {
  ActivationIds: (a) => a.id,
  DefaultInstanceName: (a) => a.defaultInstanceName,
  IamRole: (a) => a.iamRole,
};

function readActivationFilters(input: JsonInput): ((a: ActivationRecord) => boolean)[] {
  return (input.structList("Filters") ?? []).map(({ FilterKey: key, FilterValues: values }) => {
    const field =
      typeof key === "string" && Object.hasOwn(FILTER_FIELDS, key) ? FILTER_FIELDS[key] : undefined;
    if (!field) {
      throw new AwsServiceError(
        "InvalidFilter",
        `The filter key ${String(key)} is not valid: use ActivationIds, DefaultInstanceName or IamRole.`,
        400,
      );
    }
    const wanted = Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : [];
    return (a: ActivationRecord) => wanted.includes(field(a) ?? "");
  });
}

function activationJson(a: ActivationRecord, now: number) {
  return {
    ActivationId: a.id,
    Description: a.description,
    DefaultInstanceName: a.defaultInstanceName,
    IamRole: a.iamRole,
    RegistrationLimit: a.registrationLimit,
    RegistrationsCount: a.registrationsCount,
    ExpirationDate: Date.parse(a.expirationDate) / 1000,
    Expired: Date.parse(a.expirationDate) <= now,
    CreatedDate: Date.parse(a.createdDate) / 1000,
    Tags: tagList(a.tags),
  };
}

/** The world file's activations, as SSM lists them: their code was shown long ago and is kept by no one here. */
function worldActivations(call: ServiceCall): ActivationRecord[] {
  return (call.runtime.world.hybridActivations ?? []).map((a) => ({
    id: a.id,
    codeHash: "",
    account: a.account,
    region: a.region,
    description: a.description,
    defaultInstanceName: a.defaultInstanceName,
    iamRole: a.iamRole,
    registrationLimit: a.registrationLimit,
    registrationsCount: a.nodeIds.length,
    expirationDate: a.expirationDate,
    createdDate: a.created,
    tags: a.tags,
  }));
}

export function describeActivations(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const maxResults = input.integer("MaxResults", { min: 1, max: 50 });
  const nextToken = input.string("NextToken");
  const filters = readActivationFilters(input);
  input.done();
  authorizeSsm(call, { action: "ssm:DescribeActivations", resource: "*" });
  const { account } = call.caller;
  const mine = [...worldActivations(call), ...Object.values(activations(call.runtime))]
    .filter((a) => a.account === account && a.region === call.region)
    .filter((a) => filters.every((test) => test(a)));
  const page = readPage(mine, nextToken, maxResults ?? 50);
  return { ActivationList: page.items.map((a) => activationJson(a, call.now)), NextToken: page.nextToken };
}

export function deleteActivation(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const id = input.string("ActivationId", { required: true })!;
  input.done();
  authorizeSsm(call, { action: "ssm:DeleteActivation", resource: "*" });
  const declared = worldActivations(call).find((a) => a.id === id);
  if (declared && declared.account === call.caller.account && declared.region === call.region) {
    throw new AwsServiceError(
      "InvalidActivationId",
      `The activation ${id} is declared in the sandbox's world file: remove it there to delete it.`,
      400,
    );
  }
  const all = activations(call.runtime);
  const found = all[id];
  if (!found || found.account !== call.caller.account || found.region !== call.region) {
    throw new AwsServiceError("InvalidActivationId", `The activation ID ${id} is not valid.`, 400);
  }
  const { [id]: _deleted, ...rest } = all;
  saveActivations(call.runtime, rest);
  return {};
}
