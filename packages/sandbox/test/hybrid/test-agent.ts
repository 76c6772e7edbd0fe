// The test plays the SSM agent: its key pair and fingerprint, and its three calls, signed as the facts
// (docs/hybrid-and-policy.md A.1–A.4) describe the agent's signer, written here from them with node:crypto
// alone (no sandbox code, no smithy): SigV4's canonical request and string to sign, RSA-PSS instead of HMAC.

import {
  constants,
  createHash,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
  sign as rsaSign,
} from "node:crypto";

export const JSON_TYPE = "application/x-amz-json-1.1";

const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** YYYYMMDDTHHMMSSZ */
export function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

export interface AgentAnswer {
  status: number;
  body: Record<string, unknown>;
}

export class TestAgent {
  privateKey: KeyObject;
  publicKey: string;
  fingerprint = randomUUID();
  nodeId = "";

  constructor() {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey.export({ type: "spki", format: "der" }).toString("base64");
  }

  /** Replaces the key pair (as a rotation does), returning the new public key. */
  newKeyPair(): { privateKey: KeyObject; publicKey: string } {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    return {
      privateKey: pair.privateKey,
      publicKey: pair.publicKey.export({ type: "spki", format: "der" }).toString("base64"),
    };
  }

  /** RegisterManagedInstance: unauthenticated, no Authorization header. */
  async register(
    endpoint: string,
    activationId: string,
    code: string,
    headers: Record<string, string> = {},
  ): Promise<AgentAnswer> {
    const body = JSON.stringify({
      ActivationCode: code,
      ActivationId: activationId,
      PublicKey: this.publicKey,
      PublicKeyType: "Rsa",
      Fingerprint: this.fingerprint,
    });
    const answer = await post(endpoint, "RegisterManagedInstance", body, headers);
    if (answer.status === 200) this.nodeId = String(answer.body.InstanceId);
    return answer;
  }

  async roleToken(endpoint: string, options: SignOptions = {}): Promise<AgentAnswer> {
    return this.signedCall(
      endpoint,
      "RequestManagedInstanceRoleToken",
      { Fingerprint: this.fingerprint },
      options,
    );
  }

  async signedCall(
    endpoint: string,
    action: string,
    input: Record<string, unknown>,
    options: SignOptions = {},
  ): Promise<AgentAnswer> {
    const body = JSON.stringify(input);
    const headers = signedHeaders(endpoint, action, body, {
      nodeId: options.nodeId ?? this.nodeId,
      key: options.key ?? this.privateKey,
      region: options.region ?? "ap-northeast-1",
      now: options.now ?? Date.now(),
    });
    return post(endpoint, action, options.sentBody ?? body, headers);
  }
}

export interface SignOptions {
  nodeId?: string;
  key?: KeyObject;
  region?: string;
  now?: number;
  /** Sends this body instead of the signed one (a tampered request). */
  sentBody?: string;
}

function signedHeaders(
  endpoint: string,
  action: string,
  body: string,
  s: { nodeId: string; key: KeyObject; region: string; now: number },
): Record<string, string> {
  const date = amzDate(s.now);
  const headers: Record<string, string> = {
    "content-type": JSON_TYPE,
    host: new URL(endpoint).host,
    "x-amz-date": date,
    "x-amz-target": `AmazonSSM.${action}`,
  };
  const names = Object.keys(headers).sort();
  const canonical = [
    "POST",
    "/",
    "",
    ...names.map((n) => `${n}:${headers[n]}`),
    "",
    names.join(";"),
    sha256Hex(body),
  ].join("\n");
  const scope = `${date.slice(0, 8)}/${s.region}/ssm/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", date, scope, sha256Hex(canonical)].join("\n");
  const signature = rsaSign("sha256", Buffer.from(stringToSign), {
    key: s.key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  }).toString("base64");
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${s.nodeId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`,
  };
}

async function post(
  endpoint: string,
  action: string,
  body: string,
  headers: Record<string, string>,
): Promise<AgentAnswer> {
  const response = await fetch(`${endpoint}/`, {
    method: "POST",
    headers: { "content-type": JSON_TYPE, "x-amz-target": `AmazonSSM.${action}`, ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
