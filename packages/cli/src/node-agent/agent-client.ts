// The SSM agent's own calls, which no AWS SDK client offers (the agent takes them from a private fork of
// aws-sdk-go): RegisterManagedInstance, unsigned, and RequestManagedInstanceRoleToken /
// UpdateManagedInstancePublicKey, signed with the node's RSA key. Built from smithy pieces, as the house rule
// asks where there is no client: @smithy/signature-v4's canonical request and string to sign, RSA-PSS
// (SHA-256, salt 32, base64) in place of the HMAC, @smithy/node-http-handler to send.

import { constants, type KeyObject, sign } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { HttpRequest } from "@smithy/protocol-http";
import { getCanonicalHeaders, SignatureV4Base } from "@smithy/signature-v4";
import { AwsRefusedError, TobiraError } from "../errors.js";

const JSON_TYPE = "application/x-amz-json-1.1";

export interface AgentEndpoint {
  /** http(s)://host[:port] of SSM (the sandbox's endpoint in the simulation). */
  endpoint: string;
  region: string;
}

/** The agent's signer: SigV4 up to the string to sign, which the node's RSA key signs. */
class RsaAgentSigner extends SignatureV4Base {
  constructor(region: string) {
    super({
      credentials: { accessKeyId: "", secretAccessKey: "" },
      region,
      service: "ssm",
      sha256: Hash.bind(null, "sha256"),
      uriEscapePath: true,
    });
  }

  async authorization(request: HttpRequest, nodeId: string, key: KeyObject, at: Date): Promise<string> {
    const { longDate, shortDate } = this.formatDate(at);
    request.headers["x-amz-date"] = longDate;
    const canonicalHeaders = getCanonicalHeaders(request);
    const hash = new Hash("sha256");
    hash.update(String(request.body ?? ""));
    const payloadHash = Buffer.from(await hash.digest()).toString("hex");
    const canonical = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    const scope = `${shortDate}/${await this.regionProvider()}/ssm/aws4_request`;
    const stringToSign = await this.createStringToSign(longDate, scope, canonical, "AWS4-HMAC-SHA256");
    const signature = sign("sha256", Buffer.from(stringToSign), {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    }).toString("base64");
    const signed = Object.keys(canonicalHeaders).sort().join(";");
    return `AWS4-HMAC-SHA256 Credential=${nodeId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`;
  }
}

function jsonRequest(target: AgentEndpoint, action: string, input: unknown): HttpRequest {
  const url = new URL(target.endpoint);
  return new HttpRequest({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === "" ? {} : { port: Number(url.port) }),
    path: "/",
    headers: { "content-type": JSON_TYPE, host: url.host, "x-amz-target": `AmazonSSM.${action}` },
    body: JSON.stringify(input),
  });
}

/** An SSM error answer: AWS's code and message, to act on (MachineFingerprintDoesNotMatch, …). */
export class AgentCallError extends AwsRefusedError {
  override name = "AgentCallError";
}

async function send(request: HttpRequest, action: string): Promise<Record<string, unknown>> {
  const handler = new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 15000 });
  let status: number;
  let text: string;
  try {
    const { response } = await handler.handle(request);
    status = response.statusCode;
    const chunks: Buffer[] = [];
    for await (const chunk of response.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
    text = Buffer.concat(chunks).toString("utf8");
  } catch (error) {
    throw new TobiraError(`cannot reach SSM for ${action}: ${(error as Error).message}`, {
      hint: "check that the endpoint answers (for the sandbox: `tobira sandbox status`)",
      cause: error,
    });
  } finally {
    handler.destroy();
  }
  let body: Record<string, unknown> = {};
  try {
    body = text.trim() === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    body = {};
  }
  if (status === 200) return body;
  const code = String(body.__type ?? `HTTP ${status}`).replace(/^.*#/, "");
  throw new AgentCallError(`${action} was refused: ${code}: ${String(body.message ?? body.Message ?? "")}`, {
    code,
  });
}

/** A service the simulated server runs, as the sandbox's world file writes one. */
export interface NodeService {
  port: number;
  service: "http" | "echo" | "sshd" | "tcp";
  /** For `tcp`: the local host:port the sandbox forwards the port to. */
  target?: string;
}

/** Not AWS: the header the sandbox reads the simulated server's services from (a real agent sends none). */
export const NODE_PORTS_HEADER = "x-tobira-node-ports";

export interface Registration {
  activationId: string;
  activationCode: string;
  publicKey: string;
  fingerprint: string;
  /** The services the simulated server runs; absent: the sandbox's default (HTTP on 80, sshd on 22). */
  services?: NodeService[] | undefined;
}

export async function registerManagedInstance(target: AgentEndpoint, r: Registration): Promise<string> {
  const request = jsonRequest(target, "RegisterManagedInstance", {
    ActivationCode: r.activationCode,
    ActivationId: r.activationId,
    PublicKey: r.publicKey,
    PublicKeyType: "Rsa",
    Fingerprint: r.fingerprint,
  });
  if (r.services !== undefined) request.headers[NODE_PORTS_HEADER] = JSON.stringify(r.services);
  const body = await send(request, "RegisterManagedInstance");
  return String(body.InstanceId);
}

export interface RoleToken {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: Date;
  updateKeyPair: boolean;
}

/** A signed agent call as the node `nodeId` with its private key. */
async function signedCall(
  target: AgentEndpoint,
  node: { id: string; key: KeyObject },
  action: string,
  input: unknown,
): Promise<Record<string, unknown>> {
  const request = jsonRequest(target, action, input);
  const signer = new RsaAgentSigner(target.region);
  request.headers.authorization = await signer.authorization(request, node.id, node.key, new Date());
  return send(request, action);
}

export async function requestRoleToken(
  target: AgentEndpoint,
  node: { id: string; key: KeyObject },
  fingerprint: string,
): Promise<RoleToken> {
  const body = await signedCall(target, node, "RequestManagedInstanceRoleToken", {
    Fingerprint: fingerprint,
  });
  return {
    accessKeyId: String(body.AccessKeyId),
    secretAccessKey: String(body.SecretAccessKey),
    sessionToken: String(body.SessionToken),
    expiresAt: new Date(Number(body.TokenExpirationDate) * 1000),
    updateKeyPair: body.UpdateKeyPair === true,
  };
}

export async function updatePublicKey(
  target: AgentEndpoint,
  node: { id: string; key: KeyObject },
  newPublicKey: string,
): Promise<void> {
  await signedCall(target, node, "UpdateManagedInstancePublicKey", {
    NewPublicKey: newPublicKey,
    NewPublicKeyType: "Rsa",
  });
}
