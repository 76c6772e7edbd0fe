// What the user typed as TARGET, read as one kind of lookup: instance id, managed node id, `tag:K=V`, private
// IP, private DNS name, or (anything else) the Name tag.

export type TargetQuery =
  | { kind: "instance-id"; id: string }
  | { kind: "managed-id"; id: string }
  | { kind: "tag"; key: string; value: string }
  | { kind: "ip"; ip: string }
  | { kind: "dns"; name: string }
  | { kind: "name"; name: string };

const INSTANCE_ID = /^i-[0-9a-f]{8}([0-9a-f]{9})?$/;
const MANAGED_ID = /^mi-[0-9a-f]{17}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** EC2's private DNS names: ip-10-0-1-10[.region.compute.internal | .ec2.internal], or resource-based i-….…internal. */
const PRIVATE_DNS = /^(ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}(\..+)?|[a-z0-9.-]+\.(compute|ec2)\.internal)$/;

export function parseTargetQuery(text: string): TargetQuery {
  const trimmed = text.trim();
  if (INSTANCE_ID.test(trimmed)) return { kind: "instance-id", id: trimmed };
  if (MANAGED_ID.test(trimmed)) return { kind: "managed-id", id: trimmed };
  if (trimmed.startsWith("tag:")) {
    const body = trimmed.slice(4);
    const equals = body.indexOf("=");
    // `tag:K` alone means "has tag K"; the value is then a wildcard.
    if (equals < 0) return { kind: "tag", key: body, value: "*" };
    return { kind: "tag", key: body.slice(0, equals), value: body.slice(equals + 1) };
  }
  if (IPV4.test(trimmed)) return { kind: "ip", ip: trimmed };
  if (PRIVATE_DNS.test(trimmed)) return { kind: "dns", name: trimmed };
  return { kind: "name", name: trimmed };
}

/** The query as the user would recognise it, for messages. */
export function describeTargetQuery(query: TargetQuery): string {
  switch (query.kind) {
    case "instance-id":
    case "managed-id":
      return query.id;
    case "tag":
      return `tag:${query.key}=${query.value}`;
    case "ip":
      return `private IP ${query.ip}`;
    case "dns":
      return `private DNS name ${query.name}`;
    case "name":
      return `Name '${query.name}'`;
  }
}
