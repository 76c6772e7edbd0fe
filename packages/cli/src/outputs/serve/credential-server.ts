// A loopback container-credentials endpoint (what the AWS SDKs read through AWS_CONTAINER_CREDENTIALS_FULL_URI):
// credentials fetched before the first request and refreshed in the background, so a request is answered
// from memory at once and never waits on an MFA prompt (the SDKs give each attempt about one second).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AwsCredentials } from "../../credentials/ports.js";
import { TobiraError } from "../../errors.js";
import { tokenMatches } from "./container-token.js";
import { refreshDelay, retryDelay } from "./refresh-timing.js";
import { type TokenFile, writeTokenFile } from "./token-file.js";

/** The one path that answers; anything else is 404. */
export const CREDENTIALS_PATH = "/credentials";

export class CredentialServerError extends TobiraError {
  override name = "CredentialServerError";
}

/** Credentials with the token and expiry the container-credentials format requires. */
export interface ServedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
}

export interface CredentialServerOptions {
  /** Gets the credentials; called at start (may prompt for MFA) and again five minutes before each expiry. */
  fetchCredentials: () => Promise<AwsCredentials>;
  /** What the credentials are of, for messages ("profile 'switch'"). */
  label: string;
  /** 0 (default) = a free port. Always 127.0.0.1. */
  port?: number;
  /** Where to write the token; default: a fresh private folder under tobira's runtime folder. */
  tokenFile?: string;
  /** The 256-bit token the server checks; the caller makes it (newContainerToken) so tests can too. */
  token: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Never fetch again sooner than this after a fetch (default 10 s): credentials that come back already
   * within five minutes of expiry (fixed ones from elsewhere) must not turn refreshing into a busy loop.
   */
  minRefreshIntervalMs?: number;
  /** One-line notices (refreshes, refused requests); never given a secret. */
  notice?: (line: string) => void;
  now?: () => number;
}

export interface CredentialServer {
  /** http://127.0.0.1:PORT/credentials */
  readonly url: string;
  readonly tokenFile: string;
  /** When the credentials served now expire (ISO-8601). */
  expiration(): string;
  /** AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, in that order. */
  variables(): Array<[string, string]>;
  /** Stops listening, stops refreshing, removes the token file. Safe to call twice. */
  close(): Promise<void>;
}

function servable(credentials: AwsCredentials, label: string): ServedCredentials {
  if (credentials.sessionToken === undefined || credentials.expiration === undefined) {
    throw new CredentialServerError(
      `${label} gives credentials without a session token or an expiry, which a container-credentials endpoint cannot serve`,
      {
        hint: "serve a profile whose credentials tobira makes (a vault key or a role), not fixed keys from the environment",
      },
    );
  }
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    expiration: credentials.expiration,
  };
}

export async function startCredentialServer(options: CredentialServerOptions): Promise<CredentialServer> {
  // Fetch first: a prompt happens here, before any client can ask.
  const held = new HeldCredentials(options, servable(await options.fetchCredentials(), options.label));
  const server = createServer((request, response) => answer(request, response, held, options));
  const port = await listen(server, options.port ?? 0);
  let tokenFile: TokenFile;
  try {
    tokenFile = await writeTokenFile(options.token, {
      ...(options.tokenFile === undefined ? {} : { path: options.tokenFile }),
      ...(options.env === undefined ? {} : { env: options.env }),
    });
  } catch (error) {
    server.close();
    throw error;
  }
  held.start();
  const url = `http://127.0.0.1:${port}${CREDENTIALS_PATH}`;
  let closed = false;
  return {
    url,
    tokenFile: tokenFile.path,
    expiration: () => held.current.expiration,
    variables: () => [
      ["AWS_CONTAINER_CREDENTIALS_FULL_URI", url],
      ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.path],
    ],
    async close() {
      if (closed) return;
      closed = true;
      held.stop();
      tokenFile.remove();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The credentials served now, refreshed in the background five minutes before they expire. */
class HeldCredentials {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failures = 0;
  readonly now: () => number;
  readonly notice: (line: string) => void;

  constructor(
    private readonly options: CredentialServerOptions,
    public current: ServedCredentials,
  ) {
    this.now = options.now ?? Date.now;
    this.notice = options.notice ?? ((line: string) => process.stderr.write(`tobira: ${line}\n`));
  }

  start(): void {
    this.schedule(this.nextRefresh());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private nextRefresh(): number {
    const minInterval = this.options.minRefreshIntervalMs ?? 10_000;
    return Math.max(minInterval, refreshDelay(Date.parse(this.current.expiration), this.now()));
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.refresh(), delay);
    // The listening server keeps the process alive; the timer alone must not.
    this.timer.unref();
  }

  private async refresh(): Promise<void> {
    const { label } = this.options;
    try {
      const next = servable(await this.options.fetchCredentials(), label);
      this.failures = 0;
      if (next.expiration !== this.current.expiration) {
        this.notice(`${label}: fresh credentials, valid until ${next.expiration}`);
      }
      this.current = next;
      this.schedule(this.nextRefresh());
    } catch (error) {
      this.failures++;
      const delay = retryDelay(this.failures);
      const reason = error instanceof Error ? error.message : String(error);
      this.notice(
        `${label}: refreshing credentials failed (${reason}); trying again in ${Math.round(delay / 1000)} s ` +
          `while the current ones last (until ${this.current.expiration})`,
      );
      this.schedule(delay);
    }
  }
}

/** Listens on 127.0.0.1 and resolves the port; a busy or forbidden port is a CredentialServerError. */
async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    throw new CredentialServerError(`cannot listen on 127.0.0.1:${port}: ${error.code ?? error.message}`, {
      hint: "choose another --port, or leave it out for a free one",
    });
  });
  return (server.address() as AddressInfo).port;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  response.end(text);
}

/** One request: only GET /credentials with the token gets the credentials, from memory, at once. */
function answer(
  request: IncomingMessage,
  response: ServerResponse,
  held: HeldCredentials,
  options: CredentialServerOptions,
): void {
  const path = (request.url ?? "/").split("?")[0];
  if (path !== CREDENTIALS_PATH) {
    send(response, 404, { Code: "NotFound", Message: `Only ${CREDENTIALS_PATH} answers here.` });
    return;
  }
  if (request.method !== "GET") {
    response.setHeader("allow", "GET");
    send(response, 405, { Code: "MethodNotAllowed", Message: "Use GET." });
    return;
  }
  const given = request.headers.authorization;
  if (!tokenMatches(options.token, given)) {
    held.notice(
      `refused a request ${given === undefined ? "without an Authorization header" : "with a wrong token"} (403)`,
    );
    send(response, 403, {
      Code: "AccessDenied",
      Message: "The Authorization header must hold the token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE.",
    });
    return;
  }
  const current = held.current;
  if (Date.parse(current.expiration) <= held.now()) {
    send(response, 503, {
      Code: "CredentialsExpired",
      Message: `The credentials of ${options.label} expired and could not be refreshed; see tobira serve's messages.`,
    });
    return;
  }
  send(response, 200, {
    AccessKeyId: current.accessKeyId,
    SecretAccessKey: current.secretAccessKey,
    Token: current.sessionToken,
    Expiration: current.expiration,
  });
}
