// Authorizes an EC2 action per instance ARN with the instance's tags as resource-tag keys, and words a
// denial as EC2 does: UnauthorizedOperation, "You are not authorized to perform this operation. User: …".

import { AwsServiceError } from "../../protocol/errors.js";
import type { ServiceCall } from "../../server/runtime.js";
import type { Instance } from "../../world/model.js";
import { authorize } from "../authorize.js";
import { baseRequestContext } from "../request-context.js";
import { instanceArn, resourceTagContext } from "./instance-resource.js";

function asUnauthorizedOperation(error: unknown): unknown {
  if (error instanceof AwsServiceError && error.code === "AccessDenied") {
    return new AwsServiceError(
      "UnauthorizedOperation",
      `You are not authorized to perform this operation. ${error.message}`,
      403,
    );
  }
  return error;
}

/** ec2:DescribeInstances and other actions without resource-level permissions: Resource "*". */
export function authorizeEc2Everywhere(call: ServiceCall, action: string): void {
  try {
    authorize(call, { action, resource: "*", context: baseRequestContext(call), withReason: true });
  } catch (error) {
    throw asUnauthorizedOperation(error);
  }
}

/** An action on one instance: its ARN, with `aws:ResourceTag/*` and `ec2:ResourceTag/*` from its tags. */
export function authorizeOnInstance(call: ServiceCall, action: string, instance: Instance): void {
  try {
    authorize(call, {
      action,
      resource: instanceArn(instance.region, instance.account, instance.id),
      resourceAccount: instance.account,
      context: { ...baseRequestContext(call), ...resourceTagContext(instance.tags, ["ec2:ResourceTag"]) },
      withReason: true,
    });
  } catch (error) {
    throw asUnauthorizedOperation(error);
  }
}
