// `tobira rolesanywhere serve`: the IMDSv2-compatible endpoint on 127.0.0.1 until Ctrl-C, credentials fetched
// at start (so a refused certificate fails at once) and renewed five minutes before expiry.

import { openSessionSource } from "../credentials/rolesanywhere/session-source.js";
import { UsageError } from "../errors.js";
import { FreshCredentials } from "./fresh-credentials.js";
import type { IdentityFlags } from "./identity-flags.js";
import { createImdsServer, DEFAULT_IMDS_PORT } from "./imds-server.js";
import { specFromFlags } from "./spec-from-flags.js";

export async function runRolesAnywhereServe(
  flags: IdentityFlags & { port?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const port = flags.port === undefined ? DEFAULT_IMDS_PORT : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${flags.port} is not a port`);
  const fresh = new FreshCredentials(await openSessionSource(await specFromFlags(flags, env), env));
  await fresh.get();
  const server = createImdsServer(fresh);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new UsageError(`cannot listen on 127.0.0.1:${port}: ${error.code ?? error.message}`, {
          hint: "pick another --port",
        }),
      ),
    );
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const bound = typeof address === "object" && address !== null ? address.port : port;
  process.stdout.write(`export AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:${bound}/\n`);
  process.stderr.write(
    `tobira: serving ${fresh.roleName}'s credentials on 127.0.0.1:${bound} until Ctrl-C\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
