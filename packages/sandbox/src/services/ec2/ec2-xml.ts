// EC2's XML layout, which differs from STS/IAM's: the result's elements sit directly under
// `<ActionResponse>` next to `<requestId>`, lists are `<item>` elements, and errors are
// `<Response><Errors><Error>…</Error></Errors><RequestID>…</RequestID></Response>`.

import type { AwsServiceError } from "../../protocol/errors.js";
import { type XmlObject, XmlWriter } from "../../protocol/xml.js";
import type { QueryXmlDialect } from "../../server/service-registry.js";

export const EC2_API_VERSION = "2016-11-15";
export const EC2_XMLNS = `http://ec2.amazonaws.com/doc/${EC2_API_VERSION}/`;

const EC2_XML = new XmlWriter("item");

export const ec2XmlDialect: QueryXmlDialect = {
  result(action: string, result: XmlObject | undefined, requestId: string): string {
    const body = EC2_XML.object({ requestId, ...(result ?? {}) });
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_XMLNS}">${body}</${action}Response>\n`;
  },
  error(error: AwsServiceError, requestId: string): string {
    const errors = EC2_XML.object({ Errors: { Error: { Code: error.code, Message: error.message } } });
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Response>${errors}${EC2_XML.element("RequestID", requestId)}</Response>\n`;
  },
};
