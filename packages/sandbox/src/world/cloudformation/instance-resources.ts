// EC2 instances of a template as world instances: their tags (which ABAC reads), name, role (through the
// instance profile) and private address. Everything about the machine itself is left to the sandbox.

import type { ReadContext } from "./read-context.js";
import type { InstanceInput } from "./world-draft.js";

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function readInstance(ctx: ReadContext, logicalId: string): void {
  const tags = ctx.tags(logicalId, "error");
  const { Name: name, ...otherTags } = tags;
  const instance: InstanceInput = {
    id: ctx.model.instanceId(logicalId),
    account: ctx.account,
    region: ctx.model.region,
    name: name ?? logicalId,
    tags: otherTags,
  };
  const profile = ctx.stringProperty(
    logicalId,
    "IamInstanceProfile",
    "error",
    "the instance's role decides what its agent may decrypt",
  );
  if (profile !== undefined) {
    // Profiles may come later in the template, or from another template: look up once all are read.
    ctx.deferred.push(() => {
      const profileName = profile.replace(/^arn:aws:iam::\d{12}:instance-profile\/(.*\/)?/, "");
      const role = ctx.instanceProfiles.get(`${ctx.account}/${profileName}`);
      if (role === undefined) {
        ctx.report(
          "note",
          ctx.propertyPath(logicalId, "IamInstanceProfile"),
          `instance profile ${profile} is not in the loaded templates; the instance has no role`,
        );
      } else instance.role = role;
    });
  }
  const ip = ctx.stringProperty(logicalId, "PrivateIpAddress", "note", "the sandbox assigns an address");
  if (ip !== undefined) {
    if (IPV4.test(ip)) instance.privateIp = ip;
    else
      ctx.report(
        "note",
        ctx.propertyPath(logicalId, "PrivateIpAddress"),
        `"${ip}" is not an IPv4 address; the sandbox assigns one`,
      );
  }
  ctx.draft.add("instances", instance, ctx.origin(logicalId));
}

export const INSTANCE_READERS: Record<string, (ctx: ReadContext, logicalId: string) => void> = {
  "AWS::EC2::Instance": readInstance,
};
