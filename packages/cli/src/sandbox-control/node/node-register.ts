// `tobira sandbox node register --code - --id ID --region R`: a simulated on-premises server registers with a
// hybrid activation of the running sandbox, as `amazon-ssm-agent -register` does, keeping its key pair,
// fingerprint and simulated hardware in the node folder.

import { registerNode } from "../../node-agent/agent-register.js";
import { renderFields } from "../../output/fields.js";
import { writeJson } from "../../output/json.js";
import { nodeDirOf, readActivationCode, sandboxEndpoint } from "./node-options.js";

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
  json?: boolean;
}

export async function runNodeRegister(options: NodeRegisterOptions): Promise<void> {
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
  });
  const report = { nodeId: registered.nodeId, region: options.region, nodeDir: registered.paths.dir };
  if (options.json) return writeJson(report);
  process.stdout.write(
    `${renderFields([
      ["registered", registered.nodeId],
      ["region", options.region],
      ["node folder", registered.paths.dir],
    ])}\nnext: \`tobira sandbox node run --node-dir ${registered.paths.dir}\` keeps its role credentials fresh\n`,
  );
}
