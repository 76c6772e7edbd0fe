// The IAM service: the user self-service actions (the user, its access keys and its MFA devices, each
// authorized by the caller's policies on the user's ARN), reading roles, and the policy simulator. Key
// changes persist in the state and take effect for authentication at once.

import { authFailure } from "../auth/auth-errors.js";
import { newAccessKeyId, newSecretAccessKey } from "../auth/key-issuer.js";
import { AwsServiceError } from "../protocol/errors.js";
import type { QueryParams } from "../protocol/query.js";
import type { XmlObject } from "../protocol/xml.js";
import type { ServiceCall } from "../server/runtime.js";
import { awsQueryService, type QueryServiceDefinition } from "../server/service-registry.js";
import type { AccessKey, IamUser } from "../world/model.js";
import { authorize, refuse } from "./authorize.js";
import { roleActions } from "./iam-roles.js";
import { simulationActions } from "./iam-simulation/simulation-actions.js";
import { ParamValidator } from "./param-validation.js";
import { baseRequestContext } from "./request-context.js";
import { findUser } from "./world-lookup.js";

export const MAX_ACCESS_KEYS_PER_USER = 2;
/** World users carry no creation date; IAM shows one, so they all share this one. */
const WORLD_USER_CREATED = "2024-01-01T00:00:00Z";

const USER_NAME_RULE = { min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, patternText: "[\\w+=,.@-]+" };
const ACCESS_KEY_ID_RULE = { min: 16, max: 128, pattern: /^[\w]+$/, patternText: "[\\w]+" };

function admitIamCall(call: ServiceCall): void {
  const { caller } = call;
  // GetSessionToken credentials reach IAM only when MFA was used; AWS calls the token invalid otherwise.
  if (caller.credential === "session-token" && caller.mfaAuthenticatedAtMs === undefined) {
    throw refuse(
      call,
      authFailure("unknown-key", "query"),
      "GetSessionToken credentials without MFA cannot call IAM",
    );
  }
  if (caller.credential === "federation-token") {
    throw refuse(
      call,
      new AwsServiceError("AccessDenied", `Cannot call ${call.action} with federated user credentials`, 403),
      "GetFederationToken credentials cannot call IAM",
    );
  }
}

/** The user an action is about: UserName, or the calling IAM user when it is left out. */
function targetUserName(call: ServiceCall, v: ParamValidator): string {
  const given = v.string("UserName", USER_NAME_RULE);
  v.done();
  if (given !== undefined) return given;
  if (call.caller.type === "User" && call.caller.userName) return call.caller.userName;
  throw new AwsServiceError(
    "ValidationError",
    "Must specify userName when calling with non-User credentials",
    400,
  );
}

/** Authorizes `iam:<action>` on the user's ARN, then finds the user (authorization first, as IAM does). */
function authorizedUser(call: ServiceCall, userName: string): IamUser {
  const { caller, runtime } = call;
  const user = findUser(runtime.world, caller.account, userName);
  const resource = user?.arn ?? `arn:aws:iam::${caller.account}:user/${userName}`;
  authorize(call, {
    action: `iam:${call.action}`,
    resource,
    context: baseRequestContext(call),
    withReason: true,
  });
  if (!user)
    throw new AwsServiceError("NoSuchEntity", `The user with name ${userName} cannot be found.`, 404);
  return user;
}

function keyMetadata(user: IamUser, key: AccessKey): XmlObject {
  return { UserName: user.name, AccessKeyId: key.id, Status: key.status, CreateDate: key.created };
}

function noSuchKey(id: string): AwsServiceError {
  return new AwsServiceError("NoSuchEntity", `The Access Key with id ${id} cannot be found.`, 404);
}

function getUser(call: ServiceCall, params: QueryParams): XmlObject {
  const user = authorizedUser(call, targetUserName(call, new ParamValidator(params)));
  const tags = Object.entries(user.tags).map(([Key, Value]) => ({ Key, Value }));
  return {
    User: {
      Path: user.path,
      UserName: user.name,
      UserId: user.userId,
      Arn: user.arn,
      CreateDate: WORLD_USER_CREATED,
      Tags: tags.length > 0 ? tags : undefined,
    },
  };
}

function listAccessKeys(call: ServiceCall, params: QueryParams): XmlObject {
  const user = authorizedUser(call, targetUserName(call, new ParamValidator(params)));
  return {
    UserName: user.name,
    AccessKeyMetadata: call.runtime.state.accessKeysOf(user).map((key) => keyMetadata(user, key)),
    IsTruncated: false,
  };
}

function createAccessKey(call: ServiceCall, params: QueryParams): XmlObject {
  const user = authorizedUser(call, targetUserName(call, new ParamValidator(params)));
  const keys = call.runtime.state.accessKeysOf(user);
  if (keys.length >= MAX_ACCESS_KEYS_PER_USER) {
    throw new AwsServiceError(
      "LimitExceeded",
      `Cannot exceed quota for AccessKeysPerUser: ${MAX_ACCESS_KEYS_PER_USER}`,
      409,
    );
  }
  const key: AccessKey = {
    id: newAccessKeyId("long-term"),
    secret: newSecretAccessKey(),
    status: "Active",
    created: new Date(call.now).toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  call.runtime.state.setAccessKeys(user, [...keys, key]);
  return { AccessKey: { ...keyMetadata(user, key), SecretAccessKey: key.secret } };
}

function updateAccessKey(call: ServiceCall, params: QueryParams): undefined {
  const v = new ParamValidator(params);
  const id = v.string("AccessKeyId", { required: true, ...ACCESS_KEY_ID_RULE });
  const status = v.string("Status", { required: true, oneOf: ["Active", "Inactive"] });
  const user = authorizedUser(call, targetUserName(call, v));
  const keys = call.runtime.state.accessKeysOf(user);
  if (!keys.some((k) => k.id === id)) throw noSuchKey(id!);
  const next = keys.map((k) => (k.id === id ? { ...k, status: status as AccessKey["status"] } : k));
  call.runtime.state.setAccessKeys(user, next);
  return undefined;
}

function deleteAccessKey(call: ServiceCall, params: QueryParams): undefined {
  const v = new ParamValidator(params);
  const id = v.string("AccessKeyId", { required: true, ...ACCESS_KEY_ID_RULE });
  const user = authorizedUser(call, targetUserName(call, v));
  const keys = call.runtime.state.accessKeysOf(user);
  if (!keys.some((k) => k.id === id)) throw noSuchKey(id!);
  call.runtime.state.setAccessKeys(
    user,
    keys.filter((k) => k.id !== id),
  );
  return undefined;
}

function listMfaDevices(call: ServiceCall, params: QueryParams): XmlObject {
  const user = authorizedUser(call, targetUserName(call, new ParamValidator(params)));
  return {
    MFADevices: user.mfaDevices.map((device) => ({
      UserName: user.name,
      SerialNumber: device.serial,
      EnableDate: WORLD_USER_CREATED,
    })),
    IsTruncated: false,
  };
}

export const iamService: QueryServiceDefinition = awsQueryService("iam", "2010-05-08", {
  admit: admitIamCall,
  actions: {
    GetUser: getUser,
    ListAccessKeys: listAccessKeys,
    CreateAccessKey: createAccessKey,
    UpdateAccessKey: updateAccessKey,
    DeleteAccessKey: deleteAccessKey,
    ListMFADevices: listMfaDevices,
    ...roleActions,
    ...simulationActions,
  },
});
