// `tobira port TARGET LOCAL:REMOTE… [--host H]`: registers the command; sessions/port/ forwards local ports to a
// target's ports (or to a host the target reaches) through Session Manager.
import type { Command } from "commander";
import * as profileOptions from "./profile-options.js";

interface PortFlags extends profileOptions.SessionFlags {
  host?: string;
  bind?: string;
  quiet?: boolean;
  sessions?: string;
}

const DESCRIPTION = "forward local ports to an instance (or a host it reaches) through Session Manager";

const HELP = `
Examples:
  tobira port web-a 8080:80 --profile project-a
  tobira port web-a 15432:5432 --host 10.0.1.11 --profile project-a
  tobira port web-a 0:80 0:22 --profile project-a
  tobira port web-a 8080:80 --sessions 4 --profile project-a

Every mapping is one session; each accepted connection is its own stream in it, so a slow reader slows only
its own connection. Session Manager carries about 1 MB/s per session: --sessions N opens N sessions per
mapping and gives each new connection to the one carrying the fewest, so N parallel transfers get N times
that. Dropped networks are resumed, and the credentials are renewed before they expire (no new
MFA code while the MFA session lasts). Ctrl-C ends the sessions.`;

export function register(program: Command): void {
  const command = profileOptions
    .sessionCommand(program, "port", DESCRIPTION)
    .argument("<mappings...>", "LOCAL:REMOTE port pairs (LOCAL 0 = a free port); one session each")
    .option(
      "--host <host>",
      "forward to this host as the target sees it (AWS-StartPortForwardingSessionToRemoteHost)",
    )
    .option("--bind <address>", "local address to listen on", "127.0.0.1")
    .option(...profileOptions.PROFILE_OPTION)
    .option("--reason <text>", "reason recorded with the sessions")
    .option("--sessions <n>", "sessions per mapping, connections spread over them (1-16)", "1")
    .option("--quiet", "no line per closed connection");
  profileOptions
    .withCredentialFlags(command, HELP)
    .action(async (target: string, mappings: string[], flags: PortFlags) => {
      const { runPortForward } = await import("../sessions/port/port-forward-run.js");
      const { parseSessionCount } = await import("../sessions/port/session-pool.js");
      process.exitCode = await runPortForward({
        target,
        mappings,
        ...(flags.host === undefined ? {} : { host: flags.host }),
        ...(flags.bind === undefined ? {} : { bind: flags.bind }),
        ...profileOptions.sessionOptionsFrom(flags),
        quiet: flags.quiet === true,
        sessions: parseSessionCount(flags.sessions),
      });
    });
}
