// `tobira cp SOURCE DEST [--sessions N]`: registers the command; sessions/copy/ copies one file to or from an
// instance over N Session Manager sessions at once, each part through the user's own ssh.
import type { Command } from "commander";
import * as profileOptions from "./profile-options.js";

interface CopyFlags extends profileOptions.SessionFlags {
  sessions: string;
  json?: boolean;
  /** -F, -i, -o: commander names them by their letters. */
  F?: string;
  i?: string[];
  o?: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

const HELP = `
Examples:
  tobira cp backup.tar.gz os-user1@web-a:/tmp/ --profile project-a
  tobira cp web-a:/var/log/app.log . --sessions 8 --profile project-a
  tobira cp big.bin web-a:/tmp/big.bin -i ~/.ssh/id_ed25519 -o UserKnownHostsFile=~/.ssh/known_hosts_aws

One Session Manager session carries about 1 MB/s. tobira cp cuts the file into N parts and sends each over
its own session (AWS-StartPortForwardingSession to the instance's sshd), with your ssh: its keys (ssh-agent or
unencrypted keys: N ssh run at once, so none may ask for a passphrase), config and known_hosts. The instance
needs sh, dd and sha256sum (or shasum). The destination appears only whole, after its sha256 matched.`;

export function register(program: Command): void {
  const command = program
    .command("cp")
    .description("copy a file to or from an instance over several Session Manager sessions at once")
    .argument("<source>", "a local file, or [user@]HOST:PATH")
    .argument(
      "<dest>",
      "[user@]HOST:PATH (a PATH ending in / or naming a folder keeps the name), or a local path",
    )
    .option("--sessions <n>", "sessions to split the copy over (1-16)", "4")
    .option("-F <file>", "ssh config file, passed to ssh")
    .option("-i <file>", "identity file, passed to ssh (repeatable)", collect)
    .option("-o <option>", "ssh option, passed to ssh (repeatable)", collect)
    .option(...profileOptions.PROFILE_OPTION)
    .option("--reason <text>", "reason recorded with the sessions")
    .option("--json", "print what was copied as JSON (bytes, sha256, parts, sessions, seconds)");
  profileOptions
    .withCredentialFlags(command, HELP)
    .action(async (source: string, dest: string, flags: CopyFlags) => {
      const { runCopy } = await import("../sessions/copy/copy-run.js");
      const { parseSessionCount } = await import("../sessions/port/session-pool.js");
      const sshOptions = [
        ...(flags.F === undefined ? [] : ["-F", flags.F]),
        ...(flags.i ?? []).flatMap((file) => ["-i", file]),
        ...(flags.o ?? []).flatMap((option) => ["-o", option]),
      ];
      process.exitCode = await runCopy({
        source,
        destination: dest,
        sessions: parseSessionCount(flags.sessions),
        sshOptions,
        json: flags.json === true,
        ...profileOptions.sessionOptionsFrom(flags),
      });
    });
}
