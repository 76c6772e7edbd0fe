// The services a simulated server runs, which its registration names. What runs on a machine is no AWS state:
// the simulated agent says it in a header of its RegisterManagedInstance, `x-tobira-node-ports` (a JSON
// list of the world file's port entries), which the sandbox reads and AWS would ignore. Without it (a real
// agent, an older simulated one) the node serves HTTP on 80 and the sandbox's sshd on 22.

import { z } from "zod";
import { AwsServiceError } from "../../protocol/errors.js";
import { headerValue, type IncomingAwsRequest } from "../../server/incoming-request.js";
import type { InstancePort } from "../../world/model.js";
import { instancePortSchema } from "../../world/schema.js";

export const NODE_PORTS_HEADER = "x-tobira-node-ports";
/** More would only be a mistake: a node serves a handful of ports. */
const MAX_NODE_PORTS = 32;

/** The ports a registered node gets when its registration names none. */
export const DEFAULT_NODE_PORTS: readonly InstancePort[] = [
  { port: 80, service: "http" },
  { port: 22, service: "sshd" },
];

const portList = z.array(instancePortSchema).max(MAX_NODE_PORTS);

function refused(why: string): AwsServiceError {
  return new AwsServiceError("ValidationException", `The ${NODE_PORTS_HEADER} header ${why}.`, 400);
}

/** The ports the registration names, checked as the world file's are; undefined when it names none. */
export function requestedNodePorts(request: IncomingAwsRequest): InstancePort[] | undefined {
  const text = headerValue(request, NODE_PORTS_HEADER);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw refused('is not JSON: send a list such as [{"port":80,"service":"http"}]');
  }
  const parsed = portList.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw refused(`has a bad entry at ${issue.path.join(".") || "the top"}: ${issue.message}`);
  }
  const seen = new Set<number>();
  for (const port of parsed.data) {
    if (seen.has(port.port)) throw refused(`lists port ${port.port} twice`);
    seen.add(port.port);
  }
  return parsed.data.map((port) =>
    port.target === undefined
      ? { port: port.port, service: port.service }
      : { port: port.port, service: port.service, target: port.target },
  );
}
