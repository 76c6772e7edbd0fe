// Where the SSM agent keeps what `tobira node` reads (facts A.6, A.7, A.3), on a real server or in a
// simulated node's folder: the shared credentials file and its profile, identity_config.json (expiry and
// retrieval time), `registration` (node id, Region) and the fingerprint vault entry.

import { join, resolve } from "node:path";

/** The agent's data folder on Linux. */
export const DEFAULT_AGENT_DIR = "/var/lib/amazon/ssm";
/** Where a root systemd agent writes the shared credentials (HOME=/root), unless its unit sets a path. */
export const DEFAULT_CREDENTIALS_FILE = "/root/.aws/credentials";

export interface NodeFileOptions {
  agentDir?: string | undefined;
  credentialsFile?: string | undefined;
  profile?: string | undefined;
}

export interface NodeFiles {
  agentDir: string;
  credentials: string;
  profile: string;
  identityConfig: string;
  registration: string;
  instanceFingerprint: string;
  /** Present only in a simulated node's folder: the machine the simulation reports. */
  simulatedHardware: string;
}

/**
 * The files of a node. A simulated node keeps its credentials file in its folder, so with --agent-dir and no
 * --credentials-file the folder's own `credentials` is used when the default path is not the agent's.
 */
export function nodeFiles(options: NodeFileOptions): NodeFiles {
  const agentDir = resolve(options.agentDir ?? DEFAULT_AGENT_DIR);
  const credentials =
    options.credentialsFile !== undefined
      ? resolve(options.credentialsFile)
      : options.agentDir !== undefined
        ? join(agentDir, "credentials")
        : DEFAULT_CREDENTIALS_FILE;
  return {
    agentDir,
    credentials,
    profile: options.profile ?? "default",
    identityConfig: join(agentDir, "runtimeconfig", "identity_config.json"),
    registration: join(agentDir, "registration"),
    instanceFingerprint: join(agentDir, "Vault", "Store", "InstanceFingerprint"),
    simulatedHardware: join(agentDir, "hardware.json"),
  };
}
