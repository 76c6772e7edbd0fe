// IAM Roles Anywhere in the sandbox: the control plane (a REST-JSON service) and CreateSession (a route).

export { rolesAnywhereControlPlane } from "./control-plane.js";
export { createSessionRoute, SESSIONS_PATH } from "./create-session.js";
export type { RaCrl, RaProfile, RolesAnywhereWorld, TrustAnchor } from "./model.js";
