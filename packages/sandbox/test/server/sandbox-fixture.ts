// Starts an in-process sandbox on a temp state folder with a movable clock, and builds SDK clients for
// the world's users and for issued credentials. Shared by the server, sts, iam, auth and state tests.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import { type RunningSandbox, type SandboxOptions, startSandbox } from "../../src/index.js";
import { totpAt, totpStep } from "../../src/mfa/totp.js";
import { defaultWorld } from "../../src/world/index.js";
import type { World } from "../../src/world/model.js";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const ALICE_MFA = "arn:aws:iam::111111111111:mfa/alice";
export const BOB_MFA = "arn:aws:iam::111111111111:mfa/bob";
export const SWITCH_ROLE = "arn:aws:iam::222222222222:role/Role-for-switch";
export const PROJECT_A_ROLE = "arn:aws:iam::222222222222:role/project-a-operator";

export interface TestSandbox {
  sandbox: RunningSandbox;
  stateDir: string;
  world: World;
  /** The sandbox's clock: real time plus the offset `advance` adds. */
  now(): number;
  advance(ms: number): void;
  keysOf(userName: string): Credentials;
  sts(credentials: Credentials, options?: { maxAttempts?: number }): STSClient;
  iam(credentials: Credentials, options?: { maxAttempts?: number }): IAMClient;
  /** A device's code `offset` steps from the sandbox's current step (±1 is still accepted). */
  code(serial: string, offset?: number): string;
  auditLines(): Record<string, unknown>[];
  /** Stops the sandbox (the state folder stays). */
  stop(): Promise<void>;
  /** Starts a fresh sandbox on the same state folder and clock. */
  restart(): Promise<void>;
  /** Stops the sandbox and removes the state folder. */
  dispose(): Promise<void>;
}

export async function startTestSandbox(
  options: { world?: World; stateDir?: string } & Pick<SandboxOptions, "gateway" | "agents"> = {},
): Promise<TestSandbox> {
  const world = options.world ?? defaultWorld();
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), "tobira-sandbox-test-"));
  let offset = 0;
  const clock = () => Date.now() + offset;
  const extra = { gateway: options.gateway, agents: options.agents };
  let sandbox = await startSandbox({ world, stateDir, clock, ...extra });
  let running = true;
  const client = <T>(Ctor: new (config: object) => T, credentials: Credentials, maxAttempts = 3): T =>
    new Ctor({ endpoint: sandbox.endpoint, region: "us-east-1", credentials, maxAttempts });
  const fixture: TestSandbox = {
    get sandbox() {
      return sandbox;
    },
    stateDir,
    world,
    now: clock,
    advance(ms) {
      offset += ms;
    },
    keysOf(userName) {
      const user = world.users.find((u) => u.name === userName);
      const key = user?.accessKeys[0];
      if (!key) throw new Error(`test world has no key for ${userName}`);
      return { accessKeyId: key.id, secretAccessKey: key.secret };
    },
    sts: (credentials, opts) => client(STSClient, credentials, opts?.maxAttempts),
    iam: (credentials, opts) => client(IAMClient, credentials, opts?.maxAttempts),
    code(serial, step = 0) {
      const device = world.users.flatMap((u) => u.mfaDevices).find((d) => d.serial === serial);
      if (!device) throw new Error(`test world has no MFA device ${serial}`);
      return totpAt(device.secret, totpStep(clock()) + step);
    },
    auditLines() {
      return readFileSync(join(stateDir, "audit.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    async stop() {
      if (running) await sandbox.close();
      running = false;
    },
    async restart() {
      await fixture.stop();
      sandbox = await startSandbox({ world, stateDir, clock, ...extra });
      running = true;
    },
    async dispose() {
      await fixture.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** The sandbox of one describe block: started before its tests, disposed of after them. */
export interface SandboxSuite {
  t: TestSandbox;
}

/** Registers the surrounding describe block's sandbox; `suite.t` is there once its tests run. */
export function sandboxSuite(options: Parameters<typeof startTestSandbox>[0] = {}): SandboxSuite {
  const suite = {} as SandboxSuite;
  before(async () => {
    suite.t = await startTestSandbox(options);
  });
  after(() => suite.t.dispose());
  return suite;
}

/** The credentials an STS answer carries, in the shape the clients take. */
export function credentialsOf(answer: {
  Credentials?:
    | {
        AccessKeyId?: string | undefined;
        SecretAccessKey?: string | undefined;
        SessionToken?: string | undefined;
      }
    | undefined;
}): Credentials {
  const c = answer.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
    throw new Error("answer carries no credentials");
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/** The error an SDK call rejects with: its name (AWS's code), message and HTTP status. */
export async function awsError(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
