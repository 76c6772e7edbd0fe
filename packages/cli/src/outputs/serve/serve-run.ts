// What `tobira serve PROFILE [-- CMD…]` does, and what `exec --server` reuses: a credential server for a
// profile, the environment that points a child at it, and the run until the child ends or a signal arrives.

import {
  credentialsForProfile,
  type ProfileCredentialOptions,
} from "../../credentials/profile-credentials.js";
import { childEnvironment } from "../environment/child-environment.js";
import { runChild } from "../environment/child-process.js";
import { quotePosix } from "../export/export-format.js";
import { newContainerToken } from "./container-token.js";
import { type CredentialServer, startCredentialServer } from "./credential-server.js";

export interface ServeOptions extends ProfileCredentialOptions {
  /** 0 or absent = a free port. */
  port?: number;
  /** Where the token goes; default: a fresh private folder under tobira's runtime folder. */
  tokenFile?: string;
}

export interface ProfileCredentialServer {
  profile: string;
  server: CredentialServer;
  region?: string;
  endpointUrl?: string;
}

/** Starts a credential server for a profile: resolves (and prompts) now, refreshes before each expiry. */
export async function startProfileCredentialServer(
  profile: string,
  options: ServeOptions = {},
): Promise<ProfileCredentialServer> {
  let region: string | undefined;
  let endpointUrl: string | undefined;
  const server = await startCredentialServer({
    label: `profile '${profile}'`,
    token: newContainerToken(),
    fetchCredentials: async () => {
      const result = await credentialsForProfile(profile, options);
      region = result.region;
      endpointUrl = result.endpointUrl;
      return result.credentials;
    },
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.tokenFile === undefined ? {} : { tokenFile: options.tokenFile }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.notice === undefined ? {} : { notice: options.notice }),
  });
  return {
    profile,
    server,
    ...(region === undefined ? {} : { region }),
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
  };
}

/** The variables a child needs: the endpoint and token file, region and endpoint_url, TOBIRA_PROFILE. */
export function serverVariables(served: ProfileCredentialServer): Array<[string, string]> {
  const out = served.server.variables();
  if (served.region !== undefined) {
    out.push(["AWS_REGION", served.region], ["AWS_DEFAULT_REGION", served.region]);
  }
  if (served.endpointUrl !== undefined) out.push(["AWS_ENDPOINT_URL", served.endpointUrl]);
  return out;
}

/** A child's environment: the parent's without anything that would make an SDK look elsewhere, plus ours. */
export function serverEnvironment(
  parent: NodeJS.ProcessEnv,
  served: ProfileCredentialServer,
): NodeJS.ProcessEnv {
  return childEnvironment(parent, serverVariables(served), served.profile);
}

/** The lines `serve` prints for a shell to eval: exports, and the unset that keeps other sources out. */
export function exportLines(served: ProfileCredentialServer): string[] {
  const variables = serverVariables(served);
  return [
    `export ${variables.map(([name, value]) => `${name}=${quotePosix(value)}`).join(" ")}`,
    "unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN",
  ];
}

/**
 * Runs `command` with a credential server of its own (what `exec --server` does): the child reads fresh
 * credentials from it for as long as it runs; when it ends the server stops and the token file goes.
 * Resolves the child's exit status.
 */
export async function runWithCredentialServer(
  profile: string,
  command: string[],
  options: ServeOptions = {},
): Promise<number> {
  const env = options.env ?? process.env;
  const served = await startProfileCredentialServer(profile, options);
  const removeOnExit = () => void served.server.close();
  process.once("exit", removeOnExit);
  try {
    const [file, ...args] = command.length > 0 ? command : [env.SHELL || "/bin/sh"];
    return await runChild(file!, args, serverEnvironment(env, served));
  } finally {
    process.off("exit", removeOnExit);
    await served.server.close();
  }
}

/** `tobira serve`: with a command, run it; without, print the exports and serve until SIGINT or SIGTERM. */
export async function runServe(
  profile: string,
  command: string[],
  options: ServeOptions = {},
): Promise<number> {
  if (command.length > 0) return runWithCredentialServer(profile, command, options);
  const notice = options.notice ?? ((line: string) => process.stderr.write(`tobira: ${line}\n`));
  const served = await startProfileCredentialServer(profile, { ...options, notice });
  const removeOnExit = () => void served.server.close();
  process.once("exit", removeOnExit);
  process.stdout.write(`${exportLines(served).join("\n")}\n`);
  notice(
    `serving the credentials of profile '${profile}' on ${served.server.url} (valid until ${served.server.expiration()}, ` +
      "renewed 5 minutes before expiry); Ctrl-C to stop",
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    const stop = (name: NodeJS.Signals) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(name);
    };
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
  });
  await served.server.close();
  process.off("exit", removeOnExit);
  notice(`stopped on ${signal}; removed the token file`);
  return 0;
}
