// DescribeSessions: the account's sessions in the Region, State=Active or History, with SSM's filters
// (InvokedAfter, InvokedBefore, Target, Owner, Status, SessionId) and paging.

import { AwsServiceError } from "../../protocol/errors.js";
import type { ServiceCall } from "../../server/runtime.js";
import { JsonInput } from "./json-input.js";
import { readPage } from "./paging.js";
import { ACTIVE_STATUSES, type SessionRecord, sessionsIn } from "./session-store.js";
import { authorizeSsm } from "./ssm-authorize.js";

type SessionTest = (session: SessionRecord, value: string) => boolean;

function epochOf(value: string): number {
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) {
    throw new AwsServiceError("InvalidFilterValue", `The filter value ${value} is not a valid date.`, 400);
  }
  return parsed;
}

const FILTERS: Record<string, SessionTest> = {
  InvokedAfter: (s, v) => Date.parse(s.startDate) >= epochOf(v),
  InvokedBefore: (s, v) => Date.parse(s.startDate) <= epochOf(v),
  Target: (s, v) => s.target === v,
  Owner: (s, v) => s.principal.arn === v,
  Status: (s, v) => s.status === v,
  SessionId: (s, v) => s.sessionId === v,
  AccessType: (_s, v) => v === "Standard",
};

function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

function sessionJson(session: SessionRecord) {
  return {
    SessionId: session.sessionId,
    Target: session.target,
    Status: session.status,
    StartDate: epochSeconds(session.startDate),
    EndDate: session.endDate === undefined ? undefined : epochSeconds(session.endDate),
    DocumentName: session.documentName,
    Owner: session.principal.arn,
    Reason: session.reason,
    Details: "",
    OutputUrl: {},
    MaxSessionDuration: session.preferences.maxSessionDuration || undefined,
    AccessType: "Standard",
  };
}

export function describeSessions(call: ServiceCall, body: Record<string, unknown>) {
  const input = new JsonInput(body);
  const state = input.string("State", { required: true, oneOf: ["Active", "History"] })!;
  const maxResults = input.integer("MaxResults", { min: 1, max: 200 });
  const nextToken = input.string("NextToken");
  const filters = input.structList("Filters") ?? [];
  input.done();
  authorizeSsm(call, { action: "ssm:DescribeSessions", resource: "*" });
  const tests = filters.map((filter) => {
    const key = filter.key;
    const value = filter.value;
    if (typeof key !== "string" || !Object.hasOwn(FILTERS, key)) {
      throw new AwsServiceError("InvalidFilterKey", `The filter key ${String(key)} is not valid.`, 400);
    }
    if (typeof value !== "string" || value.length === 0) {
      throw new AwsServiceError("InvalidFilterValue", `The filter ${key} needs a value.`, 400);
    }
    const test = FILTERS[key]!;
    return (session: SessionRecord) => test(session, value);
  });
  const wanted = (session: SessionRecord) =>
    (state === "Active") === ACTIVE_STATUSES.includes(session.status) && tests.every((t) => t(session));
  const sessions = sessionsIn(call.runtime, call.caller.account, call.region)
    .filter(wanted)
    .sort((a, b) => Date.parse(b.startDate) - Date.parse(a.startDate));
  const page = readPage(sessions, nextToken, maxResults ?? 20);
  return { Sessions: page.items.map(sessionJson), NextToken: page.nextToken };
}
