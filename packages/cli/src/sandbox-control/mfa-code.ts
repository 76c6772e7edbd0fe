// `tobira sandbox mfa-code SERIAL`: print a world MFA device's current TOTP code, as a phone app would.
// When that code was already used the sandbox would refuse it, so this waits for the next step (said on stderr).
import { existsSync } from "node:fs";
import { TobiraError } from "../errors.js";
import { asUserError, loadSandboxLibrary } from "./sandbox-library.js";
import { resolveStateDir, sandboxPaths } from "./state-folder.js";
import { readServedWorld } from "./world-summary.js";

export async function runSandboxMfaCode(serial: string, options: { state?: string }): Promise<void> {
  const paths = sandboxPaths(resolveStateDir(options.state));
  const world = existsSync(paths.stateDir) ? readServedWorld(paths.world) : undefined;
  if (!world) {
    throw new TobiraError(`no sandbox has run with the state folder ${paths.stateDir}`, {
      hint: `start one with \`tobira sandbox up --detach --state ${paths.stateDir}\` (or pass the --state it uses)`,
    });
  }
  const serials = (world.users ?? []).flatMap((user) =>
    (user.mfaDevices ?? []).map((device) => device.serial),
  );
  const device = serials.includes(serial)
    ? serial
    : serials.find((known) => known.endsWith(`:mfa/${serial}`));
  if (!device) {
    throw new TobiraError(`the sandbox's world has no virtual MFA device ${serial}`, {
      hint:
        serials.length > 0 ? `its devices are: ${serials.join(", ")}` : "its world declares no MFA devices",
    });
  }
  const sandbox = await loadSandboxLibrary();
  const code = await sandbox
    .mfaCodeFor(paths.stateDir, device, {
      onWait: (seconds) => {
        process.stderr.write(
          `the current code of ${device} was already used; waiting ${Math.ceil(seconds)} s for the next one\n`,
        );
      },
    })
    .catch((error: unknown) => {
      throw asUserError(error);
    });
  process.stdout.write(`${code}\n`);
}
