// `tobira demo onprem`: a sandbox in this process, a simulated on-premises server beside it, and tobira on
// that server, narrated step by step; the audit log's agent and node lines at the end.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { outputWidth, wrapText } from "../../output/wrap.js";
import { describeStartFailure, loadSandboxLibrary } from "../../sandbox-control/sandbox-library.js";
import { sandboxPaths } from "../../sandbox-control/state-folder.js";
import { readAuditLog } from "../demo-audit.js";
import { DemoContext } from "../demo-context.js";
import { concludeDemo, narrateSteps, writeAuditSection } from "../demo-narration.js";
import type { OnpremPlace } from "./onprem-place.js";
import { onpremSteps } from "./onprem-steps.js";

/** The audit lines of the agent's calls and of the node's role, one short line each. */
function nodeAuditLines(auditPath: string): string[] {
  return readAuditLog(auditPath)
    .map((line) => line.entry)
    .filter(
      (e) =>
        /ManagedInstance|Activation/.test(String(e.action)) ||
        String(e.principalArn).includes("SSMHybridNodeRole"),
    )
    .map((e) => {
      // The principal's last part says who: managed-instance/mi-… (the agent) or assumed-role/ROLE/SESSION.
      const who =
        String(e.principalArn ?? "")
          .split(":")
          .pop() ?? "";
      const verdict = String(e.errorCode ?? e.decision);
      return `  ${String(e.action).padEnd(32)} ${verdict.padEnd(31)} ${who}`.slice(0, outputWidth());
    });
}

export async function runOnpremDemo(options: { keep?: boolean }): Promise<void> {
  const out = process.stdout;
  const stateDir = mkdtempSync(join(tmpdir(), "tobira-demo-onprem-"));
  const runDir = mkdtempSync(join(tmpdir(), "tobira-demo-node-"));
  chmodSync(runDir, 0o755);
  const paths = sandboxPaths(stateDir);
  const sandbox = await loadSandboxLibrary();
  const world = sandbox.defaultWorld();
  const running = await sandbox.startSandbox({ world, port: 0, stateDir }).catch((error: unknown) => {
    throw describeStartFailure(error, undefined);
  });
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const demo = new DemoContext(world, paths, running.endpoint, (serial) =>
    sandbox.mfaCodeFor(stateDir, serial),
  );
  const place: OnpremPlace = {
    nodeDir: join(stateDir, "nodes", "node-1"),
    socket: join(runDir, "node.sock"),
    nodeId: "",
  };
  demo.shared.set("onprem", place);
  try {
    await demo.loadProfiles();
    out.write(
      `${wrapText(
        "tobira demo onprem: an on-premises server gets an IAM role through an SSM hybrid activation, and tobira hands it to the server's non-root users safely",
      ).join("\n  ")}\n  sandbox: ${running.endpoint}\n`,
    );
    await narrateSteps(out, demo, onpremSteps);
    writeAuditSection(out, "The agent's and the node's calls in the audit log", nodeAuditLines(paths.audit));
  } finally {
    place.server?.child.kill("SIGTERM");
    await running.close();
    rmSync(runDir, { recursive: true, force: true });
    if (options.keep) out.write(`\nThe sandbox's files stay in ${stateDir}\n`);
    else rmSync(stateDir, { recursive: true, force: true });
  }
  concludeDemo(
    out,
    demo.surprises(),
    "Everything ended as expected. docs/onprem-node.md shows `tobira node serve` as a systemd unit.",
  );
}
