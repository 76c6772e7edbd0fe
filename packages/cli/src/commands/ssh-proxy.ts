// `tobira ssh-proxy TARGET [PORT]`: ssh's ProxyCommand through Session Manager (AWS-StartSSHSession).
import type { Command } from "commander";
import { addCredentialFlags, type CredentialFlags, credentialOptionsFrom } from "./profile-options.js";

export function register(program: Command): void {
  addCredentialFlags(
    program
      .command("ssh-proxy")
      .description("carry an ssh connection through Session Manager (for ProxyCommand)")
      .argument("<target>", "instance id, mi-… id or Name tag (ssh's %h)")
      .argument("[port]", "sshd port on the target (ssh's %p)", "22")
      .option("--profile <profile>", "profile in the AWS config file (default: $AWS_PROFILE, else default)"),
  )
    .addHelpText(
      "after",
      `
In ~/.ssh/config (or let \`tobira ssh-config\` write it):
  Host i-* mi-*
      ProxyCommand tobira ssh-proxy %h %p --profile project-a

stdin and stdout carry the SSH bytes; messages go to stderr and MFA prompts to the terminal (/dev/tty).`,
    )
    .action(async (target: string, port: string, flags: CredentialFlags & { profile?: string }) => {
      const { runSshProxy } = await import("../sessions/ssh/ssh-proxy-run.js");
      process.exitCode = await runSshProxy({
        target,
        port,
        ...(flags.profile === undefined ? {} : { profile: flags.profile }),
        access: credentialOptionsFrom(flags),
      });
    });
}
