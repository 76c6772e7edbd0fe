// The `sshd` service: a private OpenSSH server on 127.0.0.1 run from the state folder (<state>/ssh/): its
// own host key, sshd_config, authorized_keys and pid file, public-key login only, for one world user whose
// client key (<state>/ssh/id_ed25519) tests and the demo pass to `ssh -i`. Keys are made when the sandbox
// starts; the daemon itself starts on the first connection that needs it and stops with the sandbox.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { userInfo } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../state/atomic-file.js";
import type { ServiceAddress } from "./service-address.js";
import type { ServicesLog } from "./services-log.js";

export const DEFAULT_SSHD_PATH = "/usr/sbin/sshd";
const SFTP_SERVER_PATHS = [
  "/usr/lib/openssh/sftp-server",
  "/usr/libexec/openssh/sftp-server",
  "/usr/libexec/sftp-server",
];
/** How long the daemon may take to say it listens. */
const START_TIMEOUT_MS = 10_000;

export interface SshdOptions {
  stateDir: string;
  log: ServicesLog;
  /** Default /usr/sbin/sshd (Debian's openssh-server). */
  sshdPath?: string;
  /** The OS user that may log in; default the user the sandbox runs as. */
  user?: string;
  /** Names the host key is known under in <state>/ssh/known_hosts (instance ids and Name tags, with port). */
  knownHostNames?: string[];
}

/** What a client needs to log in: the user and the files to point `ssh` at. */
export interface SshLogin {
  user: string;
  /** The private key, 0600: `ssh -i`. */
  identityFile: string;
  /** The sandbox host key under the instances' names: `-o UserKnownHostsFile=`. */
  knownHostsFile: string;
}

/** Why sshd cannot serve: shown in the services log and to whoever asks for the port. */
export class SshdUnavailableError extends Error {
  override readonly name = "SshdUnavailableError";
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** Daemons still running when the process exits are stopped then, so a test that forgot close() leaks none. */
const liveDaemons = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackDaemon(child: ChildProcess): void {
  liveDaemons.add(child);
  child.once("exit", () => liveDaemons.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const daemon of liveDaemons) daemon.kill("SIGTERM");
  });
}

export class SshdService {
  readonly dir: string;
  readonly login: SshLogin | undefined;
  /** Set when sshd cannot run here (not installed, keys could not be made). */
  readonly unavailable: SshdUnavailableError | undefined;
  readonly #o: SshdOptions;
  readonly #sshdPath: string;
  #starting: Promise<ServiceAddress> | undefined;
  readonly #knownHostNames: string[] = [];
  #daemon: ChildProcess | undefined;
  #closed = false;

  constructor(options: SshdOptions) {
    this.#o = options;
    this.#sshdPath = options.sshdPath ?? DEFAULT_SSHD_PATH;
    this.dir = join(options.stateDir, "ssh");
    const user = options.user ?? userInfo().username;
    let unavailable: SshdUnavailableError | undefined;
    let login: SshLogin | undefined;
    if (!existsSync(this.#sshdPath)) {
      unavailable = new SshdUnavailableError(
        `sshd is not installed (${this.#sshdPath} is missing), so no sshd port of the world is served.`,
        "Install OpenSSH's server (Debian: `apt-get install openssh-server`) and restart the sandbox.",
      );
    } else {
      try {
        login = this.#prepare(user);
      } catch (error) {
        unavailable = new SshdUnavailableError(
          `Cannot prepare the sandbox's sshd in ${this.dir}: ${(error as Error).message}`,
          "Check that ssh-keygen (openssh-client) is installed and the state folder is writable.",
        );
      }
    }
    this.unavailable = unavailable;
    this.login = login;
    if (unavailable !== undefined) options.log.note(`sshd: ${unavailable.message} ${unavailable.hint}`);
    else options.log.note(`sshd: login as ${user} with ssh -i ${login!.identityFile} (started on first use)`);
  }

  /** The daemon's address, starting it on first use. Rejects with SshdUnavailableError when it cannot run. */
  address(): Promise<ServiceAddress> {
    if (this.unavailable !== undefined) return Promise.reject(this.unavailable);
    if (this.#closed)
      return Promise.reject(new SshdUnavailableError("The sandbox is stopping.", "Start it again."));
    this.#starting ??= this.#start().catch((error: unknown) => {
      const failure =
        error instanceof SshdUnavailableError
          ? error
          : new SshdUnavailableError(
              `sshd did not start: ${(error as Error).message}`,
              `See ${join(this.dir, "sshd.log")} and ${join(this.dir, "sshd_config")}.`,
            );
      this.#o.log.note(`sshd: ${failure.message} ${failure.hint}`);
      // The next connection tries again (a port taken in between, a fixed install).
      this.#starting = undefined;
      throw failure;
    });
    return this.#starting;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const daemon = this.#daemon;
    this.#daemon = undefined;
    if (daemon === undefined || daemon.exitCode !== null || daemon.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => daemon.once("exit", () => resolve()));
    daemon.kill("SIGTERM");
    const force = setTimeout(() => daemon.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(force);
  }

  /** Host key, client key, authorized_keys and known_hosts; kept across restarts on the same state folder. */
  #prepare(user: string): SshLogin {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const hostKey = join(this.dir, "ssh_host_ed25519_key");
    const clientKey = join(this.dir, "id_ed25519");
    for (const [path, comment] of [
      [hostKey, "tobira-sandbox-host"],
      [clientKey, `tobira-sandbox-${user}`],
    ] as const) {
      if (existsSync(path) && existsSync(`${path}.pub`)) continue;
      rmSync(path, { force: true });
      rmSync(`${path}.pub`, { force: true });
      // No passphrase: the key is a sandbox-only credential for a loopback sshd.
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path], {
        stdio: ["ignore", "ignore", "pipe"],
      });
    }
    const clientPublic = readFileSync(`${clientKey}.pub`, "utf8").trim();
    writeFileAtomic(join(this.dir, "authorized_keys"), `${clientPublic}\n`);
    this.#knownHostNames.push(...(this.#o.knownHostNames ?? []));
    const knownHostsFile = join(this.dir, "known_hosts");
    this.#writeKnownHosts(knownHostsFile);
    return { user, identityFile: clientKey, knownHostsFile };
  }

  /** Adds names to known_hosts: a node registered while the sandbox runs gets its sshd port then. */
  addKnownHostNames(names: string[]): void {
    const fresh = names.filter((n) => !this.#knownHostNames.includes(n));
    if (fresh.length === 0 || this.login === undefined) return;
    this.#knownHostNames.push(...fresh);
    this.#writeKnownHosts(this.login.knownHostsFile);
  }

  #writeKnownHosts(file: string): void {
    const names = this.#knownHostNames;
    const hostKey = join(this.dir, "ssh_host_ed25519_key.pub");
    const hostPublic = readFileSync(hostKey, "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
    writeFileAtomic(file, names.length === 0 ? "" : `${names.join(",")} ${hostPublic}\n`, 0o644);
  }

  async #start(): Promise<ServiceAddress> {
    this.#stopStaleDaemon();
    const port = await freeLoopbackPort();
    const config = join(this.dir, "sshd_config");
    const login = this.login!;
    const sftp = SFTP_SERVER_PATHS.find((p) => existsSync(p));
    const quote = (value: string) => `"${value}"`;
    const lines = [
      "# Written by the tobira sandbox: a loopback-only sshd for its world's sshd ports.",
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${quote(join(this.dir, "ssh_host_ed25519_key"))}`,
      `PidFile ${quote(join(this.dir, "sshd.pid"))}`,
      `AuthorizedKeysFile ${quote(join(this.dir, "authorized_keys"))}`,
      `AllowUsers ${login.user}`,
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      // The key only opens a loopback sandbox; root is the user the tests run as in CI.
      "PermitRootLogin prohibit-password",
      "UsePAM no",
      // The state folder lives under /tmp in tests: sshd's ownership checks of its path would refuse it.
      "StrictModes no",
      "UseDNS no",
      "PrintMotd no",
      // A simulated instance's shell starts as a fresh instance's does, in milliseconds: not through the
      // dotfiles of the account the sandbox runs as (a developer's pyenv or nvm set-up can take a second per
      // command, which `tobira cp` would pay once per part). bash reads ~/.bashrc for a command sshd runs only
      // when it is a top-level shell; SHLVL=1 makes it the second level. Login shells (ssh with a terminal)
      // still read the profile files.
      "SetEnv SHLVL=1",
      "LogLevel INFO",
      ...(sftp === undefined ? [] : [`Subsystem sftp ${sftp}`]),
      "",
    ];
    writeFileAtomic(config, lines.join("\n"), 0o600);
    // Run as root sshd needs its privilege separation folder, which the Debian service creates at boot.
    if (process.getuid?.() === 0) mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });

    const logPath = join(this.dir, "sshd.log");
    const daemon = spawn(this.#sshdPath, ["-D", "-e", "-f", config], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    this.#daemon = daemon;
    trackDaemon(daemon);
    await new Promise<void>((resolve, reject) => {
      let seen = "";
      const timer = setTimeout(() => {
        daemon.kill("SIGTERM");
        reject(new Error(`it did not report listening within ${START_TIMEOUT_MS / 1000} s`));
      }, START_TIMEOUT_MS);
      daemon.stderr!.on("data", (chunk: Buffer) => {
        appendFileSync(logPath, chunk, { mode: 0o600 });
        if (seen.length < 4096) seen += chunk.toString("utf8");
        if (/Server listening on/.test(seen)) {
          clearTimeout(timer);
          resolve();
        }
      });
      daemon.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      daemon.once("exit", (code, signal) => {
        clearTimeout(timer);
        const said = seen.trim().split("\n").slice(-3).join(" / ");
        reject(new Error(`it exited (${signal ?? `status ${code}`})${said === "" ? "" : `: ${said}`}`));
      });
    });
    daemon.once("exit", (code, signal) => {
      if (this.#daemon !== daemon) return;
      this.#daemon = undefined;
      this.#starting = undefined;
      if (!this.#closed)
        this.#o.log.note(`sshd: exited unexpectedly (${signal ?? `status ${code}`}); see ${logPath}`);
    });
    if (this.#closed) {
      daemon.kill("SIGTERM");
      throw new SshdUnavailableError("The sandbox is stopping.", "Start it again.");
    }
    this.#o.log.note(`sshd: listening on 127.0.0.1:${port} (pid ${daemon.pid}, config ${config})`);
    return { host: "127.0.0.1", port };
  }

  /** A daemon a crashed earlier run left behind on this state folder would hold its pid file: stop it. */
  #stopStaleDaemon(): void {
    const pidFile = join(this.dir, "sshd.pid");
    let pid: number;
    try {
      pid = Number(readFileSync(pidFile, "utf8").trim());
    } catch {
      return;
    }
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (Number.isInteger(pid) && pid > 1 && cmdline.includes(join(this.dir, "sshd_config"))) {
        process.kill(pid, "SIGTERM");
      }
    } catch {
      // Not running (or not ours to inspect).
    }
    rmSync(pidFile, { force: true });
  }
}

/** A port on 127.0.0.1 nobody listens on right now (the daemon binds it a moment later). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = address !== null && typeof address === "object" ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
