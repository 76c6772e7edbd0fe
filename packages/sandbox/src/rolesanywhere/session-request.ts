// CreateSession's parameters: profileArn, roleArn and trustAnchorArn in the query string (as the credential
// helper sends them) or the JSON body (as AWS's reference shows them), durationSeconds and roleSessionName
// in the body.

import type { IncomingAwsRequest } from "../server/incoming-request.js";
import { invalidInput } from "./session-errors.js";

export interface SessionRequest {
  profileArn: string;
  roleArn: string;
  trustAnchorArn: string;
  durationSeconds?: number | undefined;
  roleSessionName?: string | undefined;
}

/** STS's role session name rule: 2–64 characters of letters, digits and + = , . @ _ -. */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function body(request: IncomingAwsRequest): Record<string, unknown> {
  const text = request.body.toString("utf8").trim();
  if (text === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw invalidInput("The request body must be a JSON object.");
}

function required(request: IncomingAwsRequest, input: Record<string, unknown>, key: string): string {
  const value = request.query.get(key)?.[0] ?? input[key];
  if (typeof value !== "string" || value === "") throw invalidInput(`${key} is required.`);
  return value;
}

export function readSessionRequest(request: IncomingAwsRequest): SessionRequest {
  const input = body(request);
  const duration = input.durationSeconds;
  if (
    duration !== undefined &&
    (typeof duration !== "number" || !Number.isInteger(duration) || duration < 900 || duration > 43200)
  ) {
    throw invalidInput("durationSeconds must be a whole number from 900 to 43200.");
  }
  const name = input.roleSessionName;
  if (name !== undefined && (typeof name !== "string" || !SESSION_NAME.test(name))) {
    throw invalidInput("roleSessionName must be 2 to 64 characters of letters, digits and + = , . @ _ -.");
  }
  return {
    profileArn: required(request, input, "profileArn"),
    roleArn: required(request, input, "roleArn"),
    trustAnchorArn: required(request, input, "trustAnchorArn"),
    durationSeconds: duration as number | undefined,
    roleSessionName: name as string | undefined,
  };
}
