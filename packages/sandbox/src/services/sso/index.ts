// IAM Identity Center in the sandbox: the OIDC service, the access portal API and the device page, all plain
// HTTP routes on the sandbox's one endpoint (none of them is SigV4-signed).

import type { HttpRoute } from "../../server/service-registry.js";
import { devicePageRoute } from "./device-page.js";
import { oidcRoutes } from "./oidc.js";
import { portalRoutes } from "./portal.js";

export { DEVICE_PAGE_PATH } from "./oidc.js";

export function ssoRoutes(): HttpRoute[] {
  return [...oidcRoutes(), ...portalRoutes(), devicePageRoute()];
}
