// What every service call can reach: the world it serves, the persistent state, and the sandbox's clock.

import type { AuditFacts, AuditLog } from "../audit/audit-log.js";
import type { Caller } from "../auth/caller.js";
import type { SandboxState } from "../state/sandbox-state.js";
import type { World } from "../world/model.js";

export interface SandboxRuntime {
  world: World;
  state: SandboxState;
  /** Milliseconds since the epoch; tests move it to expire sessions. */
  clock: () => number;
  /** http://127.0.0.1:PORT once the server listens (SSM's StreamUrl points at the same port). */
  endpoint?: string;
}

/** What an in-process component (the SSM agents, the message gateway) needs to act inside a running sandbox. */
export interface SandboxHost {
  runtime: SandboxRuntime;
  audit: AuditLog;
}

/** One authenticated API call as a service action sees it. */
export interface ServiceCall {
  requestId: string;
  action: string;
  caller: Caller;
  /** Region of the credential scope (aws:RequestedRegion). */
  region: string;
  /** The sandbox clock when the request arrived. */
  now: number;
  sourceIp: string;
  runtime: SandboxRuntime;
  /** Filled by the action (decision, deciding statement); the server writes the audit line. */
  audit: AuditFacts;
}
