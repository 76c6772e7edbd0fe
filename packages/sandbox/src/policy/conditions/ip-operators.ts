// IP address condition operators: IpAddress and NotIpAddress over IPv4 and IPv6 CIDR blocks.

import { cidrContains, parseCidr, parseIpAddress } from "./ip-address.js";
import type { ConditionOperator } from "./operator.js";

function inRange(requestValue: string, policyValue: string): boolean | undefined {
  const block = parseCidr(policyValue);
  const address = parseIpAddress(requestValue);
  if (!block || !address) return undefined;
  return cidrContains(block, address);
}

export const ipOperators: ConditionOperator[] = [
  { name: "IpAddress", negated: false, compare: inRange },
  { name: "NotIpAddress", negated: true, compare: inRange },
];
