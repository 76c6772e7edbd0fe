// The AWS query protocol (STS, IAM, later EC2): form-encoded parameters in, XML results and errors out.

import { AwsServiceError } from "./errors.js";
import { type XmlObject, xmlDocument } from "./xml.js";

/** The namespace and API version a query-protocol service answers with. */
export interface QueryServiceShape {
  xmlns: string;
  version: string;
}

/**
 * Parses `a=1&b=x+y` strictly: `+` is a space, percent escapes must be valid UTF-8 escapes.
 * Repeated names keep every value in order (signature checking needs them all).
 */
export function parseFormEncoded(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (text.length === 0) return out;
  for (const pair of text.split("&")) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf("=");
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? "" : pair.slice(eq + 1);
    const name = decodeComponent(rawName);
    const value = decodeComponent(rawValue);
    const values = out.get(name);
    if (values) values.push(value);
    else out.set(name, [value]);
  }
  return out;
}

function decodeComponent(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    throw new AwsServiceError("MalformedQueryString", "The query string contains a syntax error.", 404);
  }
}

/** Request parameters of a query-protocol call, with the accessors AWS's parameter shapes need. */
export class QueryParams {
  constructor(private readonly values: Map<string, string[]>) {}

  /** The parameter's value (the last one when repeated), or undefined when absent. */
  get(name: string): string | undefined {
    const list = this.values.get(name);
    return list === undefined ? undefined : list[list.length - 1];
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** `Name.member.1`, `Name.member.2`, … as a list (empty when absent). */
  memberList(name: string): string[] {
    const out: string[] = [];
    for (let i = 1; ; i++) {
      const value = this.get(`${name}.member.${i}`);
      if (value === undefined) return out;
      out.push(value);
    }
  }

  /** `Name.member.N.Field` for each N as records of their fields (e.g. Tags → {Key, Value}). */
  memberStructs(name: string): Record<string, string>[] {
    const out: Record<string, string>[] = [];
    for (let i = 1; ; i++) {
      const prefix = `${name}.member.${i}.`;
      const record: Record<string, string> = {};
      let found = false;
      for (const [key, list] of this.values) {
        if (key.startsWith(prefix)) {
          record[key.slice(prefix.length)] = list[list.length - 1] ?? "";
          found = true;
        }
      }
      if (!found) return out;
      out.push(record);
    }
  }
}

/** A successful query-protocol answer: `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…`. */
export function queryResponseXml(
  shape: QueryServiceShape,
  action: string,
  result: XmlObject | undefined,
  requestId: string,
): string {
  const body: XmlObject = {};
  if (result !== undefined) body[`${action}Result`] = result;
  body.ResponseMetadata = { RequestId: requestId };
  return xmlDocument(`${action}Response`, shape.xmlns, body);
}

/** AWS's query-protocol error document. */
export function queryErrorXml(shape: QueryServiceShape, error: AwsServiceError, requestId: string): string {
  return xmlDocument("ErrorResponse", shape.xmlns, {
    Error: { Type: error.fault, Code: error.code, Message: error.message },
    RequestId: requestId,
  });
}

/** Headers of every query-protocol response. */
export function queryHeaders(requestId: string): Record<string, string> {
  return { "content-type": "text/xml", "x-amzn-requestid": requestId };
}

/** Used for errors raised before the service is known (no scope, body too large): STS's namespace. */
export const GENERIC_QUERY_SHAPE: QueryServiceShape = {
  xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
  version: "2011-06-15",
};
