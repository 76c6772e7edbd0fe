// What `tobira exec PROFILE [-- CMD…]` does: refuse to nest, resolve, run the child, pass signals on, return its
// status. With --server the child gets a container-credentials endpoint of its own instead of fixed keys.
import {
  credentialsForProfile,
  type ProfileCredentialOptions,
} from "../../credentials/profile-credentials.js";
import { TobiraError } from "../../errors.js";
import { execEnvironment, NESTING_VARIABLE } from "../environment/child-environment.js";
import { runChild } from "../environment/child-process.js";

/** `exec` inside an `exec`. */
export class NestedExecError extends TobiraError {
  override name = "NestedExecError";
}

export interface ExecOptions extends ProfileCredentialOptions {
  /** --force: run even inside another `tobira exec`. */
  force: boolean;
  /** --server: serve the credentials on 127.0.0.1, renewed before expiry, for a long-running child. */
  server?: boolean;
}

export async function runExec(profile: string, command: string[], options: ExecOptions): Promise<number> {
  const env = options.env ?? process.env;
  const outer = env[NESTING_VARIABLE];
  if (outer !== undefined && outer !== "" && !options.force) {
    throw new NestedExecError(`already inside \`tobira exec\` for profile '${outer}'`, {
      hint: "leave that shell first (exit), or pass --force to nest anyway",
    });
  }
  if (options.server) {
    const { runWithCredentialServer } = await import("../serve/serve-run.js");
    return runWithCredentialServer(profile, command, options);
  }
  const result = await credentialsForProfile(profile, options);
  const childEnv = execEnvironment(env, {
    profile,
    credentials: result.credentials,
    ...(result.region === undefined ? {} : { region: result.region }),
    ...(result.endpointUrl === undefined ? {} : { endpointUrl: result.endpointUrl }),
  });
  const [file, ...args] = command.length > 0 ? command : [env.SHELL || "/bin/sh"];
  return runChild(file!, args, childEnv);
}
