// EC2's XML layout, which differs from STS/IAM's: the result's elements sit directly under
// `<ActionResponse>` next to `<requestId>`, lists are `<item>` elements, and errors are
// `<Response><Errors><Error>…</Error></Errors><RequestID>…</RequestID></Response>`.

import type { AwsServiceError } from "../../protocol/errors.js";
import { escapeXml, type XmlObject, type XmlValue } from "../../protocol/xml.js";
import type { QueryXmlDialect } from "../../server/service-registry.js";

export const EC2_API_VERSION = "2016-11-15";
export const EC2_XMLNS = `http://ec2.amazonaws.com/doc/${EC2_API_VERSION}/`;

function writeValue(value: XmlValue): string {
  if (value === undefined) return "";
  if (Array.isArray(value)) return value.map((item) => element("item", item)).join("");
  if (typeof value === "object") return writeObject(value);
  return escapeXml(String(value));
}

function element(name: string, value: XmlValue): string {
  if (value === undefined) return "";
  return `<${name}>${writeValue(value)}</${name}>`;
}

function writeObject(object: XmlObject): string {
  return Object.entries(object)
    .map(([name, value]) => element(name, value))
    .join("");
}

export const ec2XmlDialect: QueryXmlDialect = {
  result(action: string, result: XmlObject | undefined, requestId: string): string {
    const body = writeObject({ requestId, ...(result ?? {}) });
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_XMLNS}">${body}</${action}Response>\n`;
  },
  error(error: AwsServiceError, requestId: string): string {
    const errors = writeObject({ Errors: { Error: { Code: error.code, Message: error.message } } });
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Response>${errors}${element("RequestID", requestId)}</Response>\n`;
  },
};
