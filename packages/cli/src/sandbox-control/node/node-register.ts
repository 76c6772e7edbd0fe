// `tobira sandbox node register --code - --id ID --region R`: a simulated on-premises server registers with a
// hybrid activation of the running sandbox, as `amazon-ssm-agent -register` does, keeping its key pair,
// fingerprint and simulated hardware in the node folder.

import type { NodeService } from "../../node-agent/agent-client.js";
import { registerNode } from "../../node-agent/agent-register.js";
import { renderFields } from "../../output/fields.js";
import { writeJson } from "../../output/json.js";
import { nodeDirOf, nodeServicesOf, readActivationCode, sandboxEndpoint } from "./node-options.js";

/** What the sandbox gives a node whose registration names no services. */
const DEFAULT_SERVICES: NodeService[] = [
  { port: 80, service: "http" },
  { port: 22, service: "sshd" },
];

export interface NodeRegisterOptions {
  code?: string;
  codeFile?: string;
  id: string;
  region: string;
  nodeDir?: string;
  state?: string;
  endpoint?: string;
  force?: boolean;
  similarityThreshold?: number;
  port?: string[];
  keyAutoRotateDays?: number;
  json?: boolean;
}

export async function runNodeRegister(options: NodeRegisterOptions): Promise<void> {
  const services = nodeServicesOf(options.port);
  const activationCode = readActivationCode(options);
  const endpoint = await sandboxEndpoint(options);
  const registered = await registerNode({
    dir: nodeDirOf(options),
    endpoint,
    region: options.region,
    activationId: options.id,
    activationCode,
    force: options.force,
    threshold: options.similarityThreshold,
    services,
    keyAutoRotateDays: options.keyAutoRotateDays,
  });
  const ports = services ?? DEFAULT_SERVICES;
  const report = { nodeId: registered.nodeId, region: options.region, nodeDir: registered.paths.dir, ports };
  if (options.json) return writeJson(report);
  process.stdout.write(
    `${renderFields([
      ["registered", registered.nodeId],
      ["region", options.region],
      ["node folder", registered.paths.dir],
      ["serves", ports.map((p) => `${p.port} (${p.service}${p.target ? ` to ${p.target}` : ""})`).join(", ")],
    ])}\nnext: \`tobira sandbox node run --node-dir ${registered.paths.dir}\` keeps its role credentials fresh\n`,
  );
}
