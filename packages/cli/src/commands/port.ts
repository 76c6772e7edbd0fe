// `tobira port TARGET LOCAL:REMOTE… [--host H]`: forwards local ports to a target's ports (or to a host the
// target reaches) through Session Manager.
import type { Command } from "commander";
import { addCredentialFlags, type CredentialFlags, credentialOptionsFrom } from "./profile-options.js";

interface PortFlags extends CredentialFlags {
  profile?: string;
  host?: string;
  bind?: string;
  reason?: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  addCredentialFlags(
    program
      .command("port")
      .description("forward local ports to an instance (or a host it reaches) through Session Manager")
      .argument("<target>", "instance id, mi-… id, Name tag, tag:KEY=VALUE, private IP or private DNS name")
      .argument("<mappings...>", "LOCAL:REMOTE port pairs (LOCAL 0 = a free port); one session each")
      .option(
        "--host <host>",
        "forward to this host as the target sees it (AWS-StartPortForwardingSessionToRemoteHost)",
      )
      .option("--bind <address>", "local address to listen on", "127.0.0.1")
      .option("--profile <profile>", "profile in the AWS config file (default: $AWS_PROFILE, else default)")
      .option("--reason <text>", "reason recorded with the sessions")
      .option("--quiet", "no line per closed connection"),
  )
    .addHelpText(
      "after",
      `
Examples:
  tobira port web-a 8080:80 --profile project-a
  tobira port web-a 15432:5432 --host 10.0.1.11 --profile project-a
  tobira port web-a 0:80 0:22 --profile project-a

Every mapping is one session; each accepted connection is its own stream in it, so a slow reader slows only
its own connection. Dropped networks are resumed, and the credentials are renewed before they expire (no new
MFA code while the MFA session lasts). Ctrl-C ends the sessions.`,
    )
    .action(async (target: string, mappings: string[], flags: PortFlags) => {
      const { runPortForward } = await import("../sessions/port/port-forward-run.js");
      process.exitCode = await runPortForward({
        target,
        mappings,
        ...(flags.host === undefined ? {} : { host: flags.host }),
        ...(flags.bind === undefined ? {} : { bind: flags.bind }),
        ...(flags.profile === undefined ? {} : { profile: flags.profile }),
        ...(flags.reason === undefined ? {} : { reason: flags.reason }),
        quiet: flags.quiet === true,
        access: credentialOptionsFrom(flags),
      });
    });
}
