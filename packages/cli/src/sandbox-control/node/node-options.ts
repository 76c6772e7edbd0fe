// What the `tobira sandbox node` commands share: the node folder (default <state>/nodes/node-1), the
// sandbox's endpoint, and the activation code read from stdin or a file, never from argv.

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { TobiraError, UsageError } from "../../errors.js";
import type { NodeService } from "../../node-agent/agent-client.js";
import { inspectSandboxProcess, resolveStateDir, sandboxPaths } from "../state-folder.js";

export interface NodeFolderOptions {
  nodeDir?: string | undefined;
  state?: string | undefined;
}

export function nodeDirOf(options: NodeFolderOptions): string {
  if (options.nodeDir) return resolve(options.nodeDir);
  return join(resolveStateDir(options.state), "nodes", "node-1");
}

/** The endpoint of the sandbox serving from the state folder (or the one given). */
export async function sandboxEndpoint(options: {
  state?: string | undefined;
  endpoint?: string | undefined;
}): Promise<string> {
  if (options.endpoint) return options.endpoint;
  const paths = sandboxPaths(resolveStateDir(options.state));
  const current = await inspectSandboxProcess(paths);
  if (current.status !== "running" || !current.record) {
    throw new TobiraError(`no sandbox is running with the state folder ${paths.stateDir}`, {
      hint: `start one with \`tobira sandbox up --detach --state ${paths.stateDir}\`, or pass --endpoint URL`,
    });
  }
  return current.record.endpoint;
}

/** The activation code: `-` reads it from stdin, `--code-file` from a file. A literal would sit in argv. */
export function readActivationCode(options: {
  code?: string | undefined;
  codeFile?: string | undefined;
}): string {
  let text: string;
  if (options.codeFile !== undefined) {
    text = readFileSync(options.codeFile, "utf8");
  } else if (options.code === "-") {
    text = readFileSync(0, "utf8");
  } else if (options.code !== undefined) {
    throw new UsageError(
      "the activation code is a secret and does not go on the command line (other users see argv)",
      {
        hint: 'pass it on stdin: `printf %s "$CODE" | tobira sandbox node register --code - --id ID --region R`, or --code-file FILE',
      },
    );
  } else {
    throw new UsageError("no activation code given", {
      hint: "pass --code - (read from stdin) or --code-file FILE",
    });
  }
  const code = text.trim();
  if (code.length < 20) {
    throw new UsageError("the activation code read is shorter than 20 characters", {
      hint: "copy the whole ActivationCode CreateActivation returned",
    });
  }
  return code;
}

const SERVICES = ["http", "echo", "sshd", "tcp"] as const;

/** `--port 80:http`, `--port 7:echo`, `--port 22:sshd`, `--port 5432:tcp:127.0.0.1:5432`: a service the node runs. */
export function parseNodeService(spec: string): NodeService {
  const match = /^(\d{1,5}):(http|echo|sshd|tcp)(?::([A-Za-z0-9.-]+:\d{1,5}))?$/.exec(spec);
  const port = Number(match?.[1]);
  if (!match || port < 1 || port > 65535 || (match[2] === "tcp") !== (match[3] !== undefined)) {
    throw new UsageError(`--port ${spec} is not PORT:SERVICE`, {
      hint: `services: ${SERVICES.join(", ")}; e.g. --port 80:http --port 22:sshd --port 5432:tcp:127.0.0.1:5432 (only tcp has a target)`,
    });
  }
  const service = match[2] as NodeService["service"];
  return match[3] === undefined ? { port, service } : { port, service, target: match[3] };
}

/** The node's services from repeated --port options, each port once; none given: undefined (80 and 22). */
export function nodeServicesOf(specs: string[] | undefined): NodeService[] | undefined {
  if (specs === undefined || specs.length === 0) return undefined;
  const services = specs.map(parseNodeService);
  const twice = services.find((s, i) => services.findIndex((t) => t.port === s.port) !== i);
  if (twice) throw new UsageError(`--port ${twice.port} is given twice`, { hint: "give each port once" });
  return services;
}
