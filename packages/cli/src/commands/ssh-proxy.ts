// `tobira ssh-proxy TARGET [PORT]`: registers the command; sessions/ssh/ is ssh's ProxyCommand through Session
// Manager (AWS-StartSSHSession).
import type { Command } from "commander";
import * as profileOptions from "./profile-options.js";

export function register(program: Command): void {
  profileOptions
    .addCredentialFlags(
      program
        .command("ssh-proxy")
        .description("carry an ssh connection through Session Manager (for ProxyCommand)")
        .argument("<target>", "instance id, mi-… id or Name tag (ssh's %h)")
        .argument("[port]", "sshd port on the target (ssh's %p)", "22")
        .option(...profileOptions.PROFILE_OPTION),
    )
    .addHelpText(
      "after",
      `
In ~/.ssh/config (or let \`tobira ssh-config\` write it):
  Host i-* mi-*
      ProxyCommand tobira ssh-proxy %h %p --profile project-a

stdin and stdout carry the SSH bytes; messages go to stderr and MFA prompts to the terminal (/dev/tty).`,
    )
    .action(async (target: string, port: string, flags: profileOptions.SessionFlags) => {
      const { runSshProxy } = await import("../sessions/ssh/ssh-proxy-run.js");
      process.exitCode = await runSshProxy({ target, port, ...profileOptions.sessionOptionsFrom(flags) });
    });
}
