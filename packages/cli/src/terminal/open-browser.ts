// Opens a URL in the user's browser without a shell: the opener is run directly with the URL as its one argument,
// so nothing in the URL is ever parsed as a command. Resolves false when no opener can run here.
import { spawn } from "node:child_process";

/** The opener for this platform: $BROWSER's first entry, else xdg-open / open / explorer. */
export function browserOpener(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): { file: string; args: string[] } | undefined {
  const fromEnv = env.BROWSER?.split(":")[0]?.trim();
  if (fromEnv) return { file: fromEnv, args: [] };
  if (platform === "darwin") return { file: "open", args: [] };
  // `start` is a cmd.exe built-in (it would need a shell); explorer.exe opens a URL in the default browser.
  if (platform === "win32") return { file: "explorer.exe", args: [] };
  // Without a display there is no browser to open on this machine (an SSH session, a container).
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  return { file: "xdg-open", args: [] };
}

export function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const opener = browserOpener(env);
  if (!opener) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(opener.file, [...opener.args, url], {
      stdio: "ignore",
      detached: true,
      shell: false,
    });
    child.once("error", () => resolve(false));
    child.once("spawn", () => {
      child.unref();
      resolve(true);
    });
  });
}
