// A sandbox for the port-session tests with its local services (optionally without sshd), the
// project-a operator's credentials obtained as a user would (GetSessionToken with MFA, then AssumeRole),
// and port sessions opened as tobira's CLI will: StartSession through the SSM SDK, a SigV4-signed websocket
// to the StreamUrl, the client port session of @tobira/session, and a local TCP listener whose
// connections ride the session.

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SSMClient, StartSessionCommand, type StartSessionCommandInput } from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import {
  type ClientPortMode,
  type ClientPortSession,
  openClientPortSession,
  websocketTransport,
} from "@tobira/session";
import type WebSocket from "ws";
import { type LocalServicesOptions, type RunningSandbox, startSandbox } from "../../src/index.js";
import { totpAt, totpStep } from "../../src/mfa/totp.js";
import { defaultWorld } from "../../src/world/index.js";
import { connect, signedUpgradeHeaders } from "../gateway/session-client.js";
import { type Credentials, credentialsOf } from "../server/sandbox-fixture.js";
import { REGION, roleArn } from "../ssm/workload-clients.js";

export interface PortSandbox {
  sandbox: RunningSandbox;
  stateDir: string;
  operator: Credentials;
  ssm: SSMClient;
  dispose(): Promise<void>;
}

export async function startPortSandbox(localServices: LocalServicesOptions = {}): Promise<PortSandbox> {
  const world = defaultWorld();
  const stateDir = mkdtempSync(join(tmpdir(), "tobira-ports-test-"));
  const sandbox = await startSandbox({ world, stateDir, localServices });
  const client = <T>(Ctor: new (config: object) => T, credentials: Credentials): T =>
    new Ctor({ endpoint: sandbox.endpoint, region: REGION, credentials, maxAttempts: 1 });
  const alice = world.users.find((u) => u.name === "alice")!;
  const device = alice.mfaDevices[0]!;
  const mfaSession = credentialsOf(
    await client(STSClient, {
      accessKeyId: alice.accessKeys[0]!.id,
      secretAccessKey: alice.accessKeys[0]!.secret,
    }).send(
      new GetSessionTokenCommand({
        SerialNumber: device.serial,
        TokenCode: totpAt(device.secret, totpStep(Date.now())),
      }),
    ),
  );
  const operator = credentialsOf(
    await client(STSClient, mfaSession).send(
      new AssumeRoleCommand({ RoleArn: roleArn("project-a-operator"), RoleSessionName: "alice-ports" }),
    ),
  );
  return {
    sandbox,
    stateDir,
    operator,
    ssm: client(SSMClient, operator),
    async dispose() {
      await sandbox.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export interface OpenedPortSession {
  sessionId: string;
  socket: WebSocket;
  session: ClientPortSession;
  /** How many ConnectToPortError flags arrived. */
  connectErrors(): number;
  /** A loopback listener whose connections ride the session (as `tobira port` listens). */
  listen(): Promise<{ port: number; close(): Promise<void> }>;
}

export async function openPortSession(
  t: PortSandbox,
  start: StartSessionCommandInput,
  options: { clientVersion?: string; mode?: ClientPortMode } = {},
): Promise<OpenedPortSession> {
  const started = await t.ssm.send(new StartSessionCommand(start));
  const url = started.StreamUrl!;
  const socket = await connect(url, await signedUpgradeHeaders(url, t.operator));
  let connectErrors = 0;
  const session = openClientPortSession({
    transport: websocketTransport(socket),
    token: started.TokenValue!,
    sessionId: started.SessionId!,
    targetId: start.Target!,
    ...(options.clientVersion === undefined ? {} : { clientVersion: options.clientVersion }),
    ...(options.mode === undefined ? {} : { mode: options.mode }),
    onConnectError: () => {
      connectErrors += 1;
    },
  });
  return {
    sessionId: started.SessionId!,
    socket,
    session,
    connectErrors: () => connectErrors,
    async listen() {
      const server: Server = createServer({ allowHalfOpen: true }, (local) => {
        local.on("error", () => local.destroy());
        void session.connect(local).catch(() => local.destroy());
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const address = server.address();
      const port = address !== null && typeof address === "object" ? address.port : 0;
      return {
        port,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
      };
    },
  };
}
