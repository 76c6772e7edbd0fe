// The cli's Roles Anywhere end-to-end fixture: the sandbox's test PKI and world (packages/sandbox/test/
// rolesanywhere), a sandbox serving them on a temp state folder, a clean HOME, and the built CLI run as a
// server's operator runs it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningSandbox, startSandbox } from "@tobira/sandbox";
import { makeTestPki, type TestPki } from "../../../sandbox/test/rolesanywhere/pki.js";
import { REGION, raWorld, SERVER_ROLE } from "../../../sandbox/test/rolesanywhere/ra-world.js";
import { type CommandResult, runToEnd, withoutAwsSettings } from "../../src/sandbox-control/user-machine.js";
import { tobiraBin } from "../fixtures/sandbox-user.js";

export { REGION, SERVER_ROLE };

export interface RaMachine {
  pki: TestPki;
  sandbox: RunningSandbox;
  home: string;
  anchorArn: string;
  profileArn: string;
  narrowProfileArn: string;
  env: NodeJS.ProcessEnv;
  /** The sandbox's state folder (audit.jsonl is there). */
  stateDir: string;
  /** How many CreateSession calls the sandbox granted so far (its audit log). */
  createSessions(): number;
  tobira(args: string[], env?: NodeJS.ProcessEnv, input?: string): Promise<CommandResult>;
  dispose(): Promise<void>;
}

/**
 * The certificate identity of a `tobira rolesanywhere` command as the operator types it: the leaf's
 * certificate and private key (with the intermediate CA when asked), the machine's trust anchor and first
 * profile, and SERVER_ROLE.
 */
export function identityArgs(
  m: RaMachine,
  leaf: { certificatePath: string; keyPath: string },
  options: { intermediates?: boolean } = {},
): string[] {
  return [
    "--certificate",
    leaf.certificatePath,
    "--private-key",
    leaf.keyPath,
    ...(options.intermediates ? ["--intermediates", m.pki.intermediatePath] : []),
    "--trust-anchor-arn",
    m.anchorArn,
    "--profile-arn",
    m.profileArn,
    "--role-arn",
    SERVER_ROLE,
  ];
}

export async function startRaMachine(): Promise<RaMachine> {
  const pki = makeTestPki();
  const world = raWorld(pki);
  const stateDir = mkdtempSync(join(tmpdir(), "tobira-ra-sandbox-"));
  const home = mkdtempSync(join(tmpdir(), "tobira-ra-home-"));
  const sandbox = await startSandbox({ world, stateDir });
  const ra = world.rolesAnywhere!;
  const env = { ...withoutAwsSettings(process.env), HOME: home, AWS_ENDPOINT_URL: sandbox.endpoint };
  return {
    pki,
    sandbox,
    home,
    anchorArn: ra.trustAnchors[0]!.arn,
    profileArn: ra.profiles[0]!.arn,
    narrowProfileArn: ra.profiles[1]!.arn,
    env,
    stateDir,
    createSessions: () => {
      const file = join(stateDir, "audit.jsonl");
      return (existsSync(file) ? readFileSync(file, "utf8") : "")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as { action?: string; decision?: string })
        .filter((line) => line.action === "CreateSession" && line.decision === "Allow").length;
    },
    tobira: (args, extra = {}, input) =>
      runToEnd(process.execPath, [tobiraBin, ...args], {
        env: { ...env, ...extra },
        timeoutMs: 60_000,
        ...(input === undefined ? {} : { input }),
      }),
    async dispose() {
      await sandbox.close();
      rmSync(stateDir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
      pki.dispose();
    },
  };
}
