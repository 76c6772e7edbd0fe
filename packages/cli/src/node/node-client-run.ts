// `tobira node credentials` (for `credential_process = tobira node credentials`) and `tobira node exec -- CMD`:
// a local user's way to the node's role, through `tobira node serve`, with no readable root file and no
// AWS_SHARED_CREDENTIALS_FILE.

import { UsageError } from "../errors.js";
import { childEnvironment, credentialVariables } from "../outputs/environment/child-environment.js";
import { runChild } from "../outputs/environment/child-process.js";
import { socketPath } from "./node-socket.js";
import { fetchNodeCredentials } from "./socket-client.js";

export async function runNodeCredentials(options: { socket?: string }): Promise<void> {
  const { json } = await fetchNodeCredentials(socketPath(options.socket));
  process.stdout.write(json.endsWith("\n") ? json : `${json}\n`);
}

export async function runNodeExec(
  command: string[],
  options: { socket?: string; region?: string },
): Promise<void> {
  const [file, ...args] = command;
  if (file === undefined)
    throw new UsageError("no command given", { hint: "tobira node exec -- aws sts get-caller-identity" });
  const { credentials } = await fetchNodeCredentials(socketPath(options.socket));
  const variables = credentialVariables({
    credentials,
    ...(options.region === undefined ? {} : { region: options.region }),
  });
  process.exitCode = await runChild(file, args, childEnvironment(process.env, variables, "node"));
}
