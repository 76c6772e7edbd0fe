// Tells, within a short time, whether an OS keyring can answer — before touching the native binding, which
// blocks the whole process without a timeout when the D-Bus session bus does not respond.
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";

export type KeyringProbeResult = { ok: true } | { ok: false; reason: string };

/** The first unix socket in a D-Bus address list ("unix:path=…,guid=…;…"), or undefined for other transports. */
export function unixSocketOfBusAddress(address: string): string | undefined {
  for (const entry of address.split(";")) {
    const [transport, rest] = [entry.slice(0, entry.indexOf(":")), entry.slice(entry.indexOf(":") + 1)];
    if (transport !== "unix") continue;
    for (const pair of rest.split(",")) {
      const [key, value] = [
        pair.slice(0, pair.indexOf("=")),
        decodeURIComponent(pair.slice(pair.indexOf("=") + 1)),
      ];
      if (key === "path") return value;
      if (key === "abstract") return `\0${value}`;
    }
  }
  return undefined;
}

/** The session bus address the binding will use; fills in the systemd user bus when the variable is unset. */
export function sessionBusAddress(env: NodeJS.ProcessEnv): string | undefined {
  const address = env.DBUS_SESSION_BUS_ADDRESS;
  if (address && address !== "") return address;
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && existsSync(join(runtime, "bus"))) return `unix:path=${join(runtime, "bus")}`;
  return undefined;
}

/** Connects to the bus socket and performs the first step of D-Bus authentication (AUTH EXTERNAL), which any
 *  live bus daemon answers at once with OK or REJECTED. */
function busAnswers(socketPath: string, timeoutMs: number): Promise<KeyringProbeResult> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    let received = "";
    const done = (result: KeyringProbeResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => done({ ok: false, reason: `the D-Bus session bus did not answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.on("connect", () => {
      const uid = typeof process.getuid === "function" ? String(process.getuid()) : "0";
      socket.write(`\0AUTH EXTERNAL ${Buffer.from(uid, "ascii").toString("hex")}\r\n`);
    });
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (!received.includes("\r\n")) return;
      if (received.startsWith("OK ")) done({ ok: true });
      else done({ ok: false, reason: "the D-Bus session bus refused to authenticate us" });
    });
    socket.on("error", (error: NodeJS.ErrnoException) =>
      done({ ok: false, reason: `cannot reach the D-Bus session bus (${error.code ?? error.message})` }),
    );
    socket.on("close", () => done({ ok: false, reason: "the D-Bus session bus closed the connection" }));
  });
}

/**
 * On Linux and the BSDs, checks that a D-Bus session bus answers (the Secret Service lives behind it). On macOS and
 * Windows the keyring is part of the system and needs no check. Whether a Secret Service is on that bus is left
 * to the first real keyring call, which fails fast when none is.
 */
export async function probeKeyringTransport(
  env: NodeJS.ProcessEnv,
  options: { timeoutMs?: number | undefined; platform?: NodeJS.Platform } = {},
): Promise<KeyringProbeResult> {
  const platform = options.platform ?? process.platform;
  if (platform === "darwin" || platform === "win32") return { ok: true };
  const address = sessionBusAddress(env);
  if (!address)
    return { ok: false, reason: "there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)" };
  const socketPath = unixSocketOfBusAddress(address);
  // Other transports (tcp, launchd) are rare; let the binding try them.
  if (!socketPath) return { ok: true };
  return busAnswers(socketPath, options.timeoutMs ?? 1000);
}
