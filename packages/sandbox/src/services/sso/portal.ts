// The AWS access portal API (sso): GetRoleCredentials, ListAccounts, ListAccountRoles, Logout. A call is
// authenticated by the access token in `x-amz-sso_bearer_token` (never SigV4): unknown, expired and
// logged-out tokens all get AWS's 401 "Session token not found or invalid". A user reaches the permission sets
// assigned to them or to one of their groups; GetRoleCredentials issues the provisioned role's temporary
// credentials for the set's session duration, named after the user as AWS names them.

import { newAccessKeyId, newSecretAccessKey, newSessionToken } from "../../auth/key-issuer.js";
import type { IssuedSession } from "../../state/sandbox-state.js";
import type { IdentityCenter, SsoAssignment, SsoUser } from "../../world/model.js";
import { bearerToken, portalErrors, queryValue, type RestCall, restJsonRoute } from "./sso-answers.js";
import { SsoStore, type SsoToken } from "./sso-store.js";

interface Signed {
  instance: IdentityCenter;
  store: SsoStore;
  token: SsoToken;
  user: SsoUser;
}

function signedIn(call: RestCall): Signed {
  const instance = call.runtime.world.identityCenter;
  const given = bearerToken(call.request);
  if (!instance || given === undefined || given === "") throw portalErrors.unauthorized();
  const store = new SsoStore(call.runtime.state, call.now);
  const token = store.tokenByAccess(given);
  const user = instance.users.find((u) => u.name === token?.userName);
  if (!token || token.revoked || token.expiresAtMs <= call.now || !user) {
    call.audit.reason = token ? "the access token has expired or was logged out" : "unknown access token";
    throw portalErrors.unauthorized();
  }
  call.audit.principalArn = `identitystore:${instance.identityStoreId}:user/${user.name}`;
  return { instance, store, token, user };
}

function assignmentsOf(signed: Signed): SsoAssignment[] {
  const { instance, user } = signed;
  return instance.assignments.filter(
    (a) =>
      (a.principal.type === "USER" && a.principal.name === user.name) ||
      (a.principal.type === "GROUP" && user.groups.includes(a.principal.name)),
  );
}

/** next_token is the index to start at; max_result defaults to and is capped at 100, as AWS's. */
function page<T>(call: RestCall, items: T[]): { items: T[]; nextToken?: string } {
  const start = Number(queryValue(call.request, "next_token") ?? "0");
  const maxText = queryValue(call.request, "max_result");
  const max = maxText === undefined ? 100 : Number(maxText);
  if (!Number.isInteger(start) || start < 0) throw portalErrors.invalidRequest("Invalid next token");
  if (!Number.isInteger(max) || max < 1 || max > 100)
    throw portalErrors.invalidRequest("max_result must be 1 to 100");
  const end = start + max;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: String(end) } : {}) };
}

function requiredQuery(call: RestCall, name: string): string {
  const value = queryValue(call.request, name);
  if (value === undefined || value === "") throw portalErrors.invalidRequest(`${name} is required`);
  return value;
}

function getRoleCredentials(call: RestCall): unknown {
  const signed = signedIn(call);
  const account = requiredQuery(call, "account_id");
  const setName = requiredQuery(call, "role_name");
  const assignment = assignmentsOf(signed).find((a) => a.account === account && a.permissionSet === setName);
  if (!assignment) {
    call.audit.reason = `no assignment of ${setName} in ${account} for ${signed.user.name}`;
    throw portalErrors.forbidden();
  }
  const set = signed.instance.permissionSets.find((p) => p.name === setName);
  const seconds = set?.sessionDuration ?? 3600;
  const session: IssuedSession = {
    accessKeyId: newAccessKeyId("temporary"),
    secretAccessKey: newSecretAccessKey(),
    sessionToken: newSessionToken(),
    kind: "assumed-role",
    account,
    issuedAt: new Date(call.now).toISOString(),
    expiration: new Date(call.now + seconds * 1000).toISOString(),
    roleArn: assignment.roleArn,
    sessionName: signed.user.name,
    tags: {},
    transitiveTagKeys: [],
    roleChain: false,
  };
  call.runtime.state.addSession(session);
  call.audit.accessKeyId = session.accessKeyId;
  call.audit.reason = `${signed.user.name} as ${assignment.roleArn}`;
  return {
    roleCredentials: {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
      expiration: call.now + seconds * 1000,
    },
  };
}

function listAccounts(call: RestCall): unknown {
  const signed = signedIn(call);
  const ids = [...new Set(assignmentsOf(signed).map((a) => a.account))];
  const accounts = ids.map((id) => {
    const alias = call.runtime.world.accounts.find((a) => a.id === id)?.alias;
    return { accountId: id, accountName: alias || id, emailAddress: `aws+${id}@example.com` };
  });
  const { items, nextToken } = page(call, accounts);
  return { accountList: items, ...(nextToken === undefined ? {} : { nextToken }) };
}

function listAccountRoles(call: RestCall): unknown {
  const signed = signedIn(call);
  const account = requiredQuery(call, "account_id");
  const names = [
    ...new Set(
      assignmentsOf(signed)
        .filter((a) => a.account === account)
        .map((a) => a.permissionSet),
    ),
  ];
  const { items, nextToken } = page(
    call,
    names.map((roleName) => ({ roleName, accountId: account })),
  );
  return { roleList: items, ...(nextToken === undefined ? {} : { nextToken }) };
}

function logout(call: RestCall): unknown {
  const signed = signedIn(call);
  signed.store.revokeSignIn(signed.token.signInId);
  call.audit.reason = `sign-in of ${signed.user.name} ended`;
  return undefined;
}

export function portalRoutes() {
  return [
    restJsonRoute("/federation/credentials", "GET", "sso", "GetRoleCredentials", getRoleCredentials),
    restJsonRoute("/assignment/accounts", "GET", "sso", "ListAccounts", listAccounts),
    restJsonRoute("/assignment/roles", "GET", "sso", "ListAccountRoles", listAccountRoles),
    restJsonRoute("/logout", "POST", "sso", "Logout", logout),
  ];
}
