// Prints where a running sandbox is and how to point the AWS CLI and SDKs at it (`up` and `up --detach`).
import { renderFields } from "../output/fields.js";
import type { SandboxPaths } from "./state-folder.js";
import type { WorldSummary } from "./world-summary.js";

/** Quotes a path for a POSIX shell only when it needs it (macOS's "Application Support" does). */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The lines `up` prints. The first is always `endpoint: URL` so scripts can read it; the paths follow, then
 * the commands that use it.
 */
export function describeRunningSandbox(
  endpoint: string,
  paths: SandboxPaths,
  world: WorldSummary | undefined,
  options: { detached: boolean },
): string {
  const user = world?.exampleUser ?? "alice";
  const lines = [
    `endpoint: ${endpoint}`,
    renderFields([
      ["state", paths.stateDir],
      ["config", paths.config],
      ["credentials", paths.credentials],
      ["audit log", paths.audit],
      ["log", options.detached ? paths.log : undefined],
    ]),
    "",
    "Use it from a shell (every profile in the config file carries endpoint_url and region):",
    `  export AWS_CONFIG_FILE=${shellQuote(paths.config)} AWS_SHARED_CREDENTIALS_FILE=${shellQuote(paths.credentials)}`,
    `  aws sts get-caller-identity --profile ${user} --endpoint-url ${endpoint}`,
  ];
  if (world?.exampleMfaSerial) {
    lines.push(`  tobira sandbox mfa-code ${world.exampleMfaSerial} --state ${shellQuote(paths.stateDir)}`);
  }
  lines.push(
    options.detached
      ? `Stop it with: tobira sandbox down --state ${shellQuote(paths.stateDir)}`
      : "Stop it with Ctrl-C (or `tobira sandbox down` from another shell).",
  );
  return lines.join("\n");
}
