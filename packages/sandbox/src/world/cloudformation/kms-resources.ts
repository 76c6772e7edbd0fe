// KMS keys and aliases of a template as world keys: the key policy decides who may generate data keys for
// sessions and who may decrypt them, so it must resolve completely.

import type { PolicyDocument } from "../../policy/types.js";
import type { ReadContext } from "./read-context.js";
import type { KmsKeyInput } from "./world-draft.js";

function readKey(ctx: ReadContext, logicalId: string): void {
  const key: KmsKeyInput = {
    id: ctx.model.kmsKeyId(logicalId),
    account: ctx.account,
    region: ctx.model.region,
    description: ctx.stringProperty(logicalId, "Description", "note") ?? "",
  };
  // Without a KeyPolicy, KMS applies its default policy (the account delegates to IAM), as the world does.
  if (ctx.has(logicalId, "KeyPolicy")) {
    const policy = ctx.policyDocument(logicalId, "KeyPolicy", "error");
    if (policy === undefined) return;
    key.policy = policy as PolicyDocument;
  }
  const enabled = ctx.property(logicalId, "Enabled", "error");
  if (enabled !== undefined) key.enabled = enabled === true || enabled === "true";
  const spec = ctx.stringProperty(logicalId, "KeySpec", "note");
  if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") {
    ctx.report("note", ctx.propertyPath(logicalId, "KeySpec"), `${spec} keys are modelled as symmetric keys`);
  }
  ctx.draft.add("kmsKeys", key, ctx.origin(logicalId));
}

function readAlias(ctx: ReadContext, logicalId: string): void {
  const alias = ctx.stringProperty(logicalId, "AliasName", "error");
  const target = ctx.stringProperty(logicalId, "TargetKeyId", "error");
  if (alias === undefined || target === undefined) return;
  const region = ctx.model.region;
  ctx.deferred.push(() => {
    // TargetKeyId is a key id or a key ARN.
    const keyId = /^arn:aws:kms:[^:]+:\d{12}:key\/(.+)$/.exec(target)?.[1] ?? target;
    const key = ctx.draft.sections.kmsKeys.find(
      (candidate) =>
        candidate.id === keyId &&
        candidate.account === ctx.account &&
        (candidate.region ?? region) === region,
    );
    if (key === undefined) {
      ctx.report(
        "error",
        ctx.propertyPath(logicalId, "TargetKeyId"),
        `no KMS key ${target} in ${ctx.account}/${region} among the loaded templates and the base world`,
      );
      return;
    }
    key.aliases = [...(key.aliases ?? []), alias];
  });
}

export const KMS_READERS: Record<string, (ctx: ReadContext, logicalId: string) => void> = {
  "AWS::KMS::Key": readKey,
  "AWS::KMS::Alias": readAlias,
};
