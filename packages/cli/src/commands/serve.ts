// `tobira serve PROFILE [-- CMD…]`: registers the command; outputs/serve/ runs a loopback container-credentials
// endpoint that keeps a profile's credentials fresh.
import type { Command } from "commander";
import { UsageError } from "../errors.js";
import * as profileOptions from "./profile-options.js";

interface ServeFlags extends profileOptions.CredentialFlags {
  port?: string;
  tokenFile?: string;
}

function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new UsageError(`--port '${text}' is not a TCP port`, {
      hint: "give 1–65535, or 0 for a free port",
    });
  }
  return port;
}

export function register(program: Command): void {
  const description =
    "serve a profile's credentials to AWS SDKs on 127.0.0.1 (container-credentials endpoint)";
  profileOptions
    .addCredentialFlags(
      profileOptions
        .profileCommand(program, "serve", description)
        .argument("[command...]", "run this command (after --) pointed at the endpoint, then stop")
        .option("--port <port>", "port on 127.0.0.1 (default: a free one)")
        .option(
          "--token-file <path>",
          "where to write the 0600 token file (default: a private runtime folder)",
        ),
    )
    .addHelpText(
      "after",
      `
Examples:
  tobira serve switch -- terraform apply      # the child reads fresh credentials as long as it runs
  tobira serve switch                         # prints export lines for another shell; Ctrl-C to stop
  tobira serve project-a --port 9911 --token-file ~/.cache/project-a.token

The SDKs read AWS_CONTAINER_CREDENTIALS_FULL_URI and send the token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
any other caller gets 403. Credentials are fetched at start (MFA is asked then) and renewed 5 minutes before
they expire, so a request never waits on a prompt. Ctrl-C (or SIGTERM) stops the server and removes the token file.`,
    )
    .action(async (profile: string, command: string[], flags: ServeFlags) => {
      const options = {
        ...profileOptions.credentialOptionsFrom(flags),
        ...(flags.port === undefined ? {} : { port: parsePort(flags.port) }),
        ...(flags.tokenFile === undefined ? {} : { tokenFile: flags.tokenFile }),
      };
      const { runServe } = await import("../outputs/serve/serve-run.js");
      process.exitCode = await runServe(profile, command, options);
    });
}
