// `tobira demo sso`: a sandbox in this process with its IAM Identity Center, dave's machine beside it (a HOME,
// a session cache and a config of its own in the temporary folder), the steps narrated, then the Identity
// Center lines of the audit log.
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { outputWidth, wrapText } from "../../output/wrap.js";
import { describeStartFailure, loadSandboxLibrary } from "../../sandbox-control/sandbox-library.js";
import { sandboxPaths } from "../../sandbox-control/state-folder.js";
import { readAuditLog } from "../demo-audit.js";
import { DemoContext } from "../demo-context.js";
import { concludeDemo, narrateSteps, writeAuditSection } from "../demo-narration.js";
import { ssoSteps } from "./sso-steps.js";

function ssoAuditLines(auditPath: string): string[] {
  return readAuditLog(auditPath)
    .map((line) => line.entry)
    .filter((e) => e.service === "sso" || e.service === "sso-oauth")
    .map((e) => {
      const verdict = String(e.errorCode ?? e.decision);
      const action = String(e.action).replace("urn:ietf:params:oauth:grant-type:", "");
      const who = String(e.principalArn ?? "")
        .split("/")
        .pop();
      return `  ${action.padEnd(36)} ${verdict.padEnd(24)} ${who}`.trimEnd().slice(0, outputWidth());
    });
}

/** dave's machine: everything the CLI reads or writes stays in the temporary folder. */
function prepareMachine(stateDir: string, endpoint: string): void {
  const paths = sandboxPaths(stateDir);
  appendFileSync(
    paths.config,
    `\n[profile sso-audit]\nrole_arn = arn:aws:iam::222222222222:role/audit-from-sso\nsource_profile = sso-ReadOnly-111111111111\nregion = ap-northeast-1\nendpoint_url = ${endpoint}\n`,
  );
  for (const name of Object.keys(process.env)) if (name.startsWith("AWS_")) delete process.env[name];
  Object.assign(process.env, {
    AWS_CONFIG_FILE: paths.config,
    AWS_SHARED_CREDENTIALS_FILE: join(stateDir, "no-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    HOME: join(stateDir, "home"),
    TOBIRA_CACHE_DIR: join(stateDir, "cache"),
    TOBIRA_RUNTIME_DIR: join(stateDir, "run"),
    BROWSER: "",
  });
}

export async function runSsoDemo(options: { keep?: boolean }): Promise<void> {
  const out = process.stdout;
  const stateDir = mkdtempSync(join(tmpdir(), "tobira-demo-sso-"));
  const sandbox = await loadSandboxLibrary();
  const world = sandbox.defaultWorld();
  const running = await sandbox.startSandbox({ world, port: 0, stateDir }).catch((error: unknown) => {
    throw describeStartFailure(error, undefined);
  });
  const paths = sandboxPaths(stateDir);
  prepareMachine(stateDir, running.endpoint);
  const demo = new DemoContext(world, paths, running.endpoint, (serial) =>
    sandbox.mfaCodeFor(stateDir, serial),
  );
  try {
    await demo.loadProfiles();
    out.write(
      `${wrapText(
        "tobira demo sso: an operator whose company moved to IAM Identity Center signs in once and reaches roles, shells and chained roles with tobira",
      ).join("\n  ")}\n  sandbox: ${running.endpoint}\n`,
    );
    await narrateSteps(out, demo, ssoSteps);
    writeAuditSection(out, "IAM Identity Center in the audit log", ssoAuditLines(paths.audit));
  } finally {
    await running.close();
    if (options.keep) out.write(`\nThe sandbox's files stay in ${stateDir}\n`);
    else rmSync(stateDir, { recursive: true, force: true });
  }
  concludeDemo(
    out,
    demo.surprises(),
    'Everything ended as expected. README.md, "IAM Identity Center (SSO)", has the same steps by hand.',
  );
}
