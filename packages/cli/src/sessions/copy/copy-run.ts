// `tobira cp SOURCE DEST --sessions N`: one file to or from an instance, split over N Session Manager
// sessions. The user's OpenSSH client carries each part (their keys, agent, config and known_hosts), each
// ssh over its own session of a striped tunnel to the instance's sshd (striped-tunnel.ts); copy-steps.ts
// cuts, sends and checks. See packages/cli/README.md for why a copy over ssh rather than scp through one
// ssh-proxy: one SSH connection is one TCP stream to sshd and cannot be split over sessions.
import { SessionAccess } from "../port/session-access.js";
import type { PoolMember } from "../port/session-pool.js";
import { chosenProfile, type ProfileAccessOptions } from "../ssm/profile-access.js";
import { copyEndpoints } from "./copy-plan.js";
import { terminalProgress } from "./copy-progress.js";
import {
  type CopySettings,
  type CopySummary,
  download,
  localDestination,
  localFile,
  type RemoteRunner,
  upload,
} from "./copy-steps.js";
import { resolveSshHost, runSsh, type SshSettings, sshArgs, sshFailureHint } from "./ssh-client.js";
import { openStripedTunnel } from "./striped-tunnel.js";

export interface CopyOptions {
  source: string;
  destination: string;
  /** --sessions, default 4. */
  sessions?: number;
  profile?: string;
  reason?: string;
  /** -F, -i and -o for ssh, in order. */
  sshOptions?: string[];
  json?: boolean;
  access?: ProfileAccessOptions;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export async function runCopy(options: CopyOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const showProgress = options.json !== true && (stderr as { isTTY?: boolean }).isTTY === true;
  // A line said while the progress line shows (a session that ended) first clears it.
  const tell = (line: string) => stderr.write(`${showProgress ? "\r\x1b[K" : ""}${line}\n`);
  const endpoints = copyEndpoints(options.source, options.destination);
  const { remote } = endpoints;
  const settings: SshSettings = {
    program: process.env.TOBIRA_SSH || "ssh",
    userArgs: options.sshOptions ?? [],
    destination: remote.user === undefined ? remote.host : `${remote.user}@${remote.host}`,
  };
  const sessions = options.sessions ?? 4;
  // Mistakes of this machine's side are said before any session starts.
  if (endpoints.direction === "upload") await localFile(endpoints.local);
  else await localDestination(endpoints.local);
  const host = await resolveSshHost(settings);
  const access = await SessionAccess.open(chosenProfile(options.profile), {
    ...options.access,
    notice: (line) => tell(`tobira: ${line}`),
  });
  try {
    const target = await access.target(host.hostname, { interactive: false });
    const tunnel = await openStripedTunnel(access, {
      target: target.id,
      port: host.port,
      sessions,
      reason: options.reason,
      notice: (line) => tell(`tobira: ${line}`),
    });
    const ids = tunnel.pool.members.map((member) => member.session.sessionId);
    tell(`Striping over ${ids.length} session(s): ${ids.join(", ")}`);
    let copying = true;
    for (const member of tunnel.pool.members)
      void member.session.ended.then(
        (o) => copying && tellEnded(member, ids.length, o.failure?.message, tell),
      );
    const copySettings: CopySettings = {
      sessions,
      sshHint: (text) => sshFailureHint(text, host),
      // Scripts reading --json, and logs, get no redrawn line.
      ...(showProgress ? { progress: terminalProgress(stderr) } : {}),
    };
    const run: RemoteRunner = (command, streams) =>
      runSsh(settings.program, sshArgs(settings, host, tunnel.localPort, command), streams);
    try {
      const summary =
        endpoints.direction === "upload"
          ? await upload(run, endpoints.local, remote, copySettings)
          : await download(run, remote, endpoints.local, copySettings);
      report(summary, ids.length, options.json === true, stdout);
      return 0;
    } finally {
      copying = false;
      await tunnel.close();
    }
  } finally {
    access.close();
  }
}

/** A session that ended while the copy ran: named, with why, before the failed part's own line. */
function tellEnded(
  member: PoolMember,
  count: number,
  why: string | undefined,
  tell: (line: string) => void,
): void {
  tell(
    `tobira: session ${member.session.sessionId} (${member.number} of ${count}) ended during the copy${why === undefined ? " (ended by the service: TerminateSession, a timeout, or the agent)" : `: ${why}`}`,
  );
}

function report(summary: CopySummary, sessions: number, json: boolean, stdout: NodeJS.WritableStream): void {
  if (json) {
    stdout.write(`${JSON.stringify({ ...summary, sessions }, null, 2)}\n`);
    return;
  }
  const rate = summary.transferSeconds > 0 ? summary.bytes / summary.transferSeconds / 1e6 : 0;
  stdout.write(
    `Copied ${summary.bytes} bytes to ${summary.destination} in ${summary.parts} part(s) over ${sessions} session(s): ${summary.transferSeconds.toFixed(1)} s, ${rate.toFixed(2)} MB/s, sha256 ${summary.sha256} checked\n`,
  );
}
