// `tobira demo`: start a sandbox in this process and walk through the demo's steps with the real AWS SDK.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { TobiraError } from "../errors.js";
import { wrapText } from "../output/wrap.js";
import { describeStartFailure, loadSandboxLibrary } from "../sandbox-control/sandbox-library.js";
import { inspectSandboxProcess, sandboxPaths } from "../sandbox-control/state-folder.js";
import { describeAuditLines, readAuditLog } from "./demo-audit.js";
import { DemoContext } from "./demo-context.js";
import { concludeDemo, narrateSteps, writeAuditSection } from "./demo-narration.js";
import { demoSteps } from "./demo-steps.js";

/** Variables that would make the SDK use something other than the sandbox's config files. */
const CREDENTIAL_VARIABLES = [
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_STS",
  "AWS_ENDPOINT_URL_IAM",
  "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
];

export async function runDemo(options: { state?: string; keep?: boolean }): Promise<void> {
  const out = process.stdout;
  const stateDir = options.state ? resolve(options.state) : mkdtempSync(join(tmpdir(), "tobira-demo-"));
  const paths = sandboxPaths(stateDir);
  if (options.state) {
    const current = await inspectSandboxProcess(paths);
    if (current.status === "running" || current.status === "unresponsive") {
      throw new TobiraError(`a sandbox (pid ${current.record.pid}) already serves from ${stateDir}`, {
        hint: `stop it with \`tobira sandbox down --state ${stateDir}\`, or leave out --state`,
      });
    }
  }

  const sandbox = await loadSandboxLibrary();
  const world = sandbox.defaultWorld();
  let running: Awaited<ReturnType<typeof sandbox.startSandbox>>;
  try {
    running = await sandbox.startSandbox({ world, port: 0, stateDir });
  } catch (error) {
    throw describeStartFailure(error, undefined);
  }

  let surprises: string[] = [];
  try {
    // The SDK reads these like any user's shell would after `export AWS_CONFIG_FILE=… AWS_SHARED_CREDENTIALS_FILE=…`.
    for (const name of CREDENTIAL_VARIABLES) delete process.env[name];
    process.env.AWS_CONFIG_FILE = paths.config;
    process.env.AWS_SHARED_CREDENTIALS_FILE = paths.credentials;
    // The SDK warns on Node 20 about its releases after January 2027; tobira supports Node 20 today.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

    const demo = new DemoContext(world, paths, running.endpoint, (serial) =>
      sandbox.mfaCodeFor(stateDir, serial, {
        onWait: (seconds) =>
          process.stderr.write(
            `  (that code was already used; waiting ${Math.ceil(seconds)} s for the next one)\n`,
          ),
      }),
    );
    await demo.loadProfiles();
    out.write(
      `${wrapText(
        "tobira demo: an MFA-protected IAM user switches into roles and runs commands on instances through Session Manager, one MFA code for it all, checked by the local sandbox",
      ).join("\n  ")}\n` +
        `  sandbox:     ${running.endpoint}\n` +
        `  config:      ${paths.config}\n` +
        `  credentials: ${paths.credentials}\n`,
    );
    await narrateSteps(out, demo, demoSteps);
    writeAuditSection(out, "What decided each call", [
      `  every call is a line of ${paths.audit}:`,
      ...describeAuditLines(demo.calls, readAuditLog(paths.audit)),
    ]);
    surprises = demo.surprises();
  } finally {
    await running.close();
    if (options.state || options.keep) {
      out.write(`\nThe sandbox's files stay in ${stateDir}\n`);
    } else {
      rmSync(stateDir, { recursive: true, force: true });
    }
  }
  concludeDemo(
    out,
    surprises,
    "Everything ended as expected. Next: `tobira sandbox up` to try it with your own tools.",
    "see the lines marked 'expected:' or 'NOT AS EXPECTED' above, and the audit log",
  );
}
