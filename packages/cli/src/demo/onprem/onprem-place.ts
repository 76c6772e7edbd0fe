// What the on-premises demo's steps share: the node's folder, the socket `tobira node serve` listens on
// (in a folder other users can reach), the current activation and node, and the running server.
import type { ChildProcess } from "node:child_process";
import type { DemoContext } from "../demo-context.js";
import type { Activation } from "./onprem-admin.js";

export interface OnpremPlace {
  nodeDir: string;
  socket: string;
  activation?: Activation;
  nodeId: string;
  server?: { child: ChildProcess; ready: (pattern: RegExp) => Promise<string> };
}

export function placeOf(demo: DemoContext): OnpremPlace {
  const place = demo.shared.get("onprem") as OnpremPlace | undefined;
  if (!place) throw new Error("the on-premises demo's place was not set up");
  return place;
}
