// @tobira/sandbox public API: start a local AWS stand-in from a world, and read its MFA codes.

import { mkdirSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { AgentOptions } from "./agents/agent-options.js";
import { AuditLog } from "./audit/audit-log.js";
import { writeAwsFiles } from "./config-out/index.js";
import type { GatewayOptions } from "./gateway/gateway-options.js";
import { MessageGateway } from "./gateway/message-gateway.js";
import { LocalServices, type LocalServicesOptions } from "./local-services/local-services.js";
import { publishLocalServices } from "./local-services/service-directory.js";
import { TOTP_STEP_SECONDS, totpAt, totpStep } from "./mfa/totp.js";
import { createSessionRoute, rolesAnywhereControlPlane } from "./rolesanywhere/index.js";
import { createSandboxServer } from "./server/http-server.js";
import type { SandboxHost, SandboxRuntime } from "./server/runtime.js";
import { ServiceRegistry } from "./server/service-registry.js";
import { ec2Service } from "./services/ec2/ec2.js";
import { federationRoute } from "./services/federation.js";
import { hybridTargetRoutes, loadManagedNodes } from "./services/hybrid/hybrid.js";
import { iamService } from "./services/iam.js";
import { kmsService } from "./services/kms/kms.js";
import { ssmService } from "./services/ssm/ssm.js";
import { ssoRoutes } from "./services/sso/index.js";
import { stsService } from "./services/sts.js";
import { writeFileAtomic } from "./state/atomic-file.js";
import { readStateFile, SandboxState } from "./state/sandbox-state.js";
import { defaultWorld } from "./world/index.js";
import type { World } from "./world/model.js";

export type { AgentOptions } from "./agents/agent-options.js";
export type { GatewayOptions } from "./gateway/gateway-options.js";
export type { GatewayStats } from "./gateway/live-session.js";
export type { MessageGateway } from "./gateway/message-gateway.js";
export { DATA_CHANNEL_PATH_PREFIX } from "./gateway/upgrade-request.js";
export type { GeneratedFile } from "./local-services/generated-files.js";
export { GENERATED_FILES } from "./local-services/generated-files.js";
export type {
  LocalServices,
  LocalServicesDescription,
  LocalServicesOptions,
} from "./local-services/local-services.js";
export { LOCAL_SERVICES_JSON } from "./local-services/local-services.js";
export type { SshLogin } from "./local-services/sshd-service.js";
export type { SandboxHost } from "./server/runtime.js";
export { StateFileError } from "./state/sandbox-state.js";
export { defaultWorld, loadWorldFile, parseWorld, WorldError } from "./world/index.js";
export type { World } from "./world/model.js";

export const WORLD_JSON = "world.json";
export const SANDBOX_JSON = "sandbox.json";

export interface SandboxOptions {
  /** Default: defaultWorld(). */
  world?: World;
  /** Default 0 = a free port; always binds 127.0.0.1. */
  port?: number;
  /** Created 0700 if missing. */
  stateDir: string;
  /** Milliseconds since the epoch; default Date.now (time travel for tests). */
  clock?: () => number;
  /** The message gateway's limits (frame rate, frame size, reconnect grace). */
  gateway?: GatewayOptions | undefined;
  /** The simulated SSM agents (shell, pacing, the length of a preference minute for tests); a shell's exit code is the world's `agents` section. */
  agents?: AgentOptions | undefined;
  /** The services behind the world's instance ports (which sshd, which OS user it lets in). */
  localServices?: LocalServicesOptions;
}

export interface RunningSandbox {
  endpoint: string;
  port: number;
  stateDir: string;
  /** The live world, state and audit log, for in-process components (agents, gateway) and tests. */
  host: SandboxHost;
  /** The message gateway on the same port (its limits' counters, live sessions). */
  gateway: MessageGateway;
  /** What serves the world's instance ports (addresses, the sshd login, the services log). */
  localServices: LocalServices;
  close(): Promise<void>;
}

/** What <stateDir>/sandbox.json holds while a sandbox runs. */
export interface SandboxInfo {
  pid: number;
  endpoint: string;
  port: number;
  startedAt: string;
}

/** The services the endpoint serves; KMS, SSM and EC2 register here as they arrive. */
export function defaultServiceRegistry(): ServiceRegistry {
  const registry = new ServiceRegistry();
  for (const route of hybridTargetRoutes()) registry.registerTargetRoute(route);
  registry
    .register(stsService)
    .register(iamService)
    .register(kmsService)
    .register(ssmService)
    .register(ec2Service)
    .register(rolesAnywhereControlPlane)
    .registerRoute(federationRoute())
    .registerRoute(createSessionRoute());
  for (const route of ssoRoutes()) registry.registerRoute(route);
  return registry;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const { stateDir } = options;
  const world = options.world ?? defaultWorld();
  const clock = options.clock ?? Date.now;
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileAtomic(join(stateDir, WORLD_JSON), `${JSON.stringify(world, null, 2)}\n`);
  const runtime: SandboxRuntime = { world, state: SandboxState.load(stateDir, clock), clock };
  loadManagedNodes(runtime);
  const audit = new AuditLog(stateDir);
  const localServices = await LocalServices.start(world, stateDir, options.localServices, clock);
  const withdrawLocalServices = publishLocalServices(world, localServices);
  const gateway = new MessageGateway({
    host: { runtime, audit },
    stateDir,
    ...(options.gateway === undefined ? {} : { gateway: options.gateway }),
    ...(options.agents === undefined ? {} : { agents: options.agents }),
  });
  const registry = defaultServiceRegistry().registerUpgrade(gateway.upgradeRoute());
  const server = createSandboxServer({ registry, runtime, audit });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await gateway.close();
    withdrawLocalServices();
    await localServices.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  runtime.endpoint = endpoint;
  const infoPath = join(stateDir, SANDBOX_JSON);
  const close = async (): Promise<void> => {
    rmSync(infoPath, { force: true });
    await gateway.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    withdrawLocalServices();
    await localServices.close();
  };
  try {
    writeAwsFiles(stateDir, world, endpoint);
    const info: SandboxInfo = {
      pid: process.pid,
      endpoint,
      port,
      startedAt: new Date(clock()).toISOString(),
    };
    writeFileAtomic(infoPath, `${JSON.stringify(info, null, 2)}\n`, 0o644);
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint, port, stateDir, host: { runtime, audit }, gateway, localServices, close };
}

/** mfaCodeFor was asked about a state folder or a device the sandbox does not have. */
export class MfaCodeError extends Error {
  override readonly name = "MfaCodeError";
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

function deviceSecret(stateDir: string, serial: string): string {
  const path = join(stateDir, WORLD_JSON);
  let world: World;
  try {
    world = JSON.parse(readFileSync(path, "utf8")) as World;
  } catch {
    throw new MfaCodeError(
      `No sandbox world in ${stateDir} (cannot read ${path}).`,
      "Start the sandbox with `tobira sandbox up --state DIR` first, or pass the --state it runs with.",
    );
  }
  for (const user of world.users ?? []) {
    const device = user.mfaDevices.find((d) => d.serial === serial);
    if (device) return device.secret;
  }
  const known = (world.users ?? []).flatMap((u) => u.mfaDevices.map((d) => d.serial));
  throw new MfaCodeError(
    `The sandbox world has no virtual MFA device ${serial}.`,
    known.length > 0 ? `Known devices: ${known.join(", ")}` : "This world declares no virtual MFA devices.",
  );
}

/** A state folder or an Identity Center user the sandbox does not have (`tobira sandbox sso approve`). */
export class SsoUserError extends Error {
  override readonly name = "SsoUserError";
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/**
 * What an Identity Center user signs in with on the device page: the world's user of that name (default: the
 * first), and its password, read from the state folder's world.json (0600) as a script standing in for the
 * user would know it.
 */
export function ssoSignInFor(stateDir: string, userName?: string): { user: string; password: string } {
  const path = join(stateDir, WORLD_JSON);
  let world: World;
  try {
    world = JSON.parse(readFileSync(path, "utf8")) as World;
  } catch {
    throw new SsoUserError(
      `No sandbox world in ${stateDir} (cannot read ${path}).`,
      "Start the sandbox with `tobira sandbox up --state DIR` first, or pass the --state it runs with.",
    );
  }
  const users = world.identityCenter?.users ?? [];
  const user = userName === undefined ? users[0] : users.find((u) => u.name === userName);
  if (!user) {
    throw new SsoUserError(
      world.identityCenter
        ? `No Identity Center user "${userName ?? ""}" (users: ${users.map((u) => u.name).join(", ") || "none"}).`
        : "This sandbox world has no IAM Identity Center instance (no identityCenter section).",
      "Name one of the world's identityCenter users with --user.",
    );
  }
  return { user: user.name, password: user.password };
}

/**
 * The current TOTP of a world virtual MFA device, as a phone app shows it. When the sandbox already
 * accepted the current step's code, waits for the next 30-second step (telling onWait how long) so the
 * code returned is one the sandbox will take.
 */
export async function mfaCodeFor(
  stateDir: string,
  serial: string,
  options: { now?: () => number; onWait?: (seconds: number) => void } = {},
): Promise<string> {
  const now = options.now ?? Date.now;
  const secret = deviceSecret(stateDir, serial);
  for (;;) {
    const step = totpStep(now());
    const consumed = readStateFile(stateDir).consumedMfaSteps[serial] ?? [];
    if (!consumed.includes(step)) return totpAt(secret, step);
    const waitMs = (step + 1) * TOTP_STEP_SECONDS * 1000 - now();
    options.onWait?.(Math.max(1, Math.ceil(waitMs / 1000)));
    await sleep(Math.max(0, waitMs) + 50);
  }
}
export { FaultyGatewayRelay, type RelayStats } from "./lossy-link/faulty-gateway-relay.js";
export type { RelayFaultPlan, RelayFaults } from "./lossy-link/frame-faults.js";
export {
  formatFinding,
  loadTemplatesIntoWorld,
  TemplateError,
  type TemplateFinding,
  type TemplateSource,
  type TemplateWorld,
  type WorldFromTemplatesOptions,
  worldFromTemplates,
} from "./world/cloudformation/index.js";
