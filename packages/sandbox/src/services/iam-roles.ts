// IAM's read-only role actions: GetRole (trust policy, maximum session duration, tags) and GetInstanceProfile
// (the role an instance carries). IAM is per account: only the caller's own account's roles are found.

import { AwsServiceError } from "../protocol/errors.js";
import type { QueryParams } from "../protocol/query.js";
import type { XmlObject } from "../protocol/xml.js";
import type { ServiceCall } from "../server/runtime.js";
import { uniqueIdFor } from "../world/ids.js";
import type { IamRole } from "../world/model.js";
import { authorize } from "./authorize.js";
import { ParamValidator } from "./param-validation.js";
import { baseRequestContext } from "./request-context.js";

const NAME_RULE = { required: true, min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, patternText: "[\\w+=,.@-]+" };
/** World roles carry a creation date only when the loader gave one; IAM always shows one. */
const WORLD_ROLE_CREATED = "2024-01-01T00:00:00Z";

function roleXml(role: IamRole): XmlObject {
  const tags = Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value }));
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: role.created ?? WORLD_ROLE_CREATED,
    // IAM returns the trust policy URL-encoded.
    AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(role.trust)),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    Tags: tags.length > 0 ? tags : undefined,
  };
}

function authorizedRole(call: ServiceCall, name: string, resource: string): IamRole | undefined {
  authorize(call, {
    action: `iam:${call.action}`,
    resource,
    context: baseRequestContext(call),
    withReason: true,
  });
  return call.runtime.world.roles.find((r) => r.account === call.caller.account && r.name === name);
}

function getRole(call: ServiceCall, params: QueryParams): XmlObject {
  const v = new ParamValidator(params);
  const name = v.string("RoleName", NAME_RULE) ?? "";
  v.done();
  const role = authorizedRole(call, name, `arn:aws:iam::${call.caller.account}:role/${name}`);
  if (!role) throw new AwsServiceError("NoSuchEntity", `The role with name ${name} cannot be found.`, 404);
  return { Role: roleXml(role) };
}

/** The sandbox gives each instance role an instance profile of the same name (as the console does). */
function getInstanceProfile(call: ServiceCall, params: QueryParams): XmlObject {
  const v = new ParamValidator(params);
  const name = v.string("InstanceProfileName", NAME_RULE) ?? "";
  v.done();
  const account = call.caller.account;
  const arn = `arn:aws:iam::${account}:instance-profile/${name}`;
  const role = authorizedRole(call, name, arn);
  const used = call.runtime.world.instances.some((i) => i.account === account && i.role === name);
  if (!role || !used)
    throw new AwsServiceError("NoSuchEntity", `Instance Profile ${name} cannot be found.`, 404);
  return {
    InstanceProfile: {
      Path: "/",
      InstanceProfileName: name,
      InstanceProfileId: `AIPA${uniqueIdFor("AROA", account, `instance-profile/${name}`).slice(4)}`,
      Arn: arn,
      CreateDate: role.created ?? WORLD_ROLE_CREATED,
      Roles: [roleXml(role)],
    },
  };
}

export const roleActions = { GetRole: getRole, GetInstanceProfile: getInstanceProfile };
