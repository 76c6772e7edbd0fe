// Reads what a request claims about its SigV4 signature, from the Authorization header or a presigned query.

import type { IncomingAwsRequest } from "../server/incoming-request.js";
import { headerValue } from "../server/incoming-request.js";
import { authFailure, type ProtocolKind } from "./auth-errors.js";

export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";

export interface CredentialScope {
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
}

/** Everything a request says about who signed it and how; verified later against the key's secret. */
export interface SignatureClaim {
  form: "header" | "query";
  accessKeyId: string;
  scope: CredentialScope;
  /** Lower-cased header names, in the order given. */
  signedHeaders: string[];
  signature: string;
  /** The X-Amz-Date value, YYYYMMDDTHHMMSSZ. */
  amzDate: string;
  signingDate: Date;
  /** Presigned requests only: seconds the signature stays valid. */
  expiresSeconds?: number;
  /** The session token the request carries (header or query), if any. */
  securityToken?: string | undefined;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses an ISO-8601 basic timestamp as SigV4 uses it; undefined when malformed. */
export function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function parseCredential(
  value: string,
  protocol: ProtocolKind,
): { accessKeyId: string; scope: CredentialScope } {
  const parts = value.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request" || !/^\d{8}$/.test(parts[1] ?? "")) {
    throw authFailure(
      "incomplete",
      protocol,
      `Credential should be scoped to a valid region, and be of the form ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request. Credential=${value}`,
    );
  }
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  if (accessKeyId.length === 0 || region.length === 0 || service.length === 0) {
    throw authFailure("incomplete", protocol, `Credential is incomplete: Credential=${value}`);
  }
  return { accessKeyId, scope: { date, region, service } };
}

function parseHeaderForm(
  authorization: string,
  request: IncomingAwsRequest,
  protocol: ProtocolKind,
): SignatureClaim {
  const space = authorization.indexOf(" ");
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw authFailure(
      "incomplete",
      protocol,
      `Unsupported authorization type '${algorithm}': this endpoint verifies ${SIGV4_ALGORITHM} (Signature Version 4) only.`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ["Credential", "SignedHeaders", "Signature"].filter((name) => !fields.get(name));
  const amzDate = headerValue(request, "x-amz-date");
  const problems = missing.map((name) => `Authorization header requires '${name}' parameter.`);
  if (amzDate === undefined) {
    problems.push("Authorization header requires existence of a 'X-Amz-Date' header.");
  }
  if (problems.length > 0) throw authFailure("incomplete", protocol, problems.join(" "));
  const signingDate = parseAmzDate(amzDate!);
  if (!signingDate) {
    throw authFailure(
      "incomplete",
      protocol,
      `X-Amz-Date '${amzDate}' must be in the form YYYYMMDDTHHMMSSZ.`,
    );
  }
  const { accessKeyId, scope } = parseCredential(fields.get("Credential")!, protocol);
  return {
    form: "header",
    accessKeyId,
    scope,
    signedHeaders: fields.get("SignedHeaders")!.toLowerCase().split(";"),
    signature: fields.get("Signature")!,
    amzDate: amzDate!,
    signingDate,
    securityToken: headerValue(request, "x-amz-security-token"),
  };
}

function lastQueryValue(request: IncomingAwsRequest, name: string): string | undefined {
  const values = request.query.get(name);
  return values?.[values.length - 1];
}

function parseQueryForm(request: IncomingAwsRequest, protocol: ProtocolKind): SignatureClaim {
  const algorithm = lastQueryValue(request, "X-Amz-Algorithm");
  if (algorithm !== SIGV4_ALGORITHM) {
    throw authFailure("incomplete", protocol, `X-Amz-Algorithm must be ${SIGV4_ALGORITHM}.`);
  }
  const names = ["X-Amz-Credential", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Date", "X-Amz-Expires"];
  const missing = names.filter((name) => !lastQueryValue(request, name));
  if (missing.length > 0) {
    throw authFailure(
      "incomplete",
      protocol,
      missing.map((name) => `AWS query-string parameters must include '${name}'.`).join(" "),
    );
  }
  const amzDate = lastQueryValue(request, "X-Amz-Date")!;
  const signingDate = parseAmzDate(amzDate);
  const expiresSeconds = Number(lastQueryValue(request, "X-Amz-Expires"));
  if (!signingDate || !Number.isInteger(expiresSeconds) || expiresSeconds < 1 || expiresSeconds > 604800) {
    throw authFailure(
      "incomplete",
      protocol,
      "X-Amz-Date must be YYYYMMDDTHHMMSSZ and X-Amz-Expires a whole number of seconds from 1 to 604800.",
    );
  }
  const { accessKeyId, scope } = parseCredential(lastQueryValue(request, "X-Amz-Credential")!, protocol);
  return {
    form: "query",
    accessKeyId,
    scope,
    signedHeaders: lastQueryValue(request, "X-Amz-SignedHeaders")!.toLowerCase().split(";"),
    signature: lastQueryValue(request, "X-Amz-Signature")!,
    amzDate,
    signingDate,
    expiresSeconds,
    securityToken: lastQueryValue(request, "X-Amz-Security-Token"),
  };
}

/** The request's signature claim; throws MissingAuthenticationToken / IncompleteSignature as AWS does. */
export function readSignatureClaim(request: IncomingAwsRequest, protocol: ProtocolKind): SignatureClaim {
  const authorization = headerValue(request, "authorization");
  if (authorization !== undefined) return parseHeaderForm(authorization, request, protocol);
  if (request.query.has("X-Amz-Algorithm") || request.query.has("X-Amz-Credential")) {
    return parseQueryForm(request, protocol);
  }
  throw authFailure("missing", protocol);
}
