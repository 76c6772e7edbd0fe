// Hybrid nodes' tags: DescribeInstanceInformation does not carry them and EC2 does not know mi-… nodes, so
// each node's tags come from SSM's ListTagsForResource (ResourceType ManagedInstance). Without
// ssm:ListTagsForResource the columns stay empty; StartSession still decides by the tags it sees.
import { ListTagsForResourceCommand } from "@aws-sdk/client-ssm";
import { awsCallError, awsErrorFacts } from "./aws-error-text.js";
import type { ProfileAccess } from "./profile-access.js";

/** The fields of a target this fills (targets.ts's Target; named here so the two modules do not import each other). */
interface TaggableTarget {
  id: string;
  kind: string;
  project: string;
  tags: Record<string, string>;
}

const DENIED = new Set(["AccessDeniedException", "AccessDenied"]);

/** Fills `tags` and `project` of the managed targets in place; returns false when SSM refused to say. */
export async function addManagedNodeTags(access: ProfileAccess, targets: TaggableTarget[]): Promise<boolean> {
  for (const target of targets) {
    if (target.kind !== "managed" || !target.id.startsWith("mi-")) continue;
    try {
      const answer = await access.ssm.send(
        new ListTagsForResourceCommand({ ResourceType: "ManagedInstance", ResourceId: target.id }),
      );
      for (const tag of answer.TagList ?? [])
        if (tag.Key !== undefined) target.tags[tag.Key] = tag.Value ?? "";
      target.project = target.tags.Project ?? "";
    } catch (error) {
      if (DENIED.has(awsErrorFacts(error).code)) return false;
      throw awsCallError(error, "ListTagsForResource", { profile: access.profile });
    }
  }
  return true;
}
