// Writes AWS's access-denied message: "User: P is not authorized to perform: A on resource: R because …".

export interface DenialMessageInput {
  principalArn: string;
  action: string;
  resource: string;
  /** The evaluation's reason clause: "no identity-based policy allows the A action" or "an explicit deny in …". */
  reason: string;
  /**
   * The ARN of the policy that denied explicitly. AWS appends it (": arn:…") for identity-based, session and
   * boundary policies when the caller and the policy are in the same account; leave it out otherwise.
   */
  denyingPolicyArn?: string | undefined;
}

/**
 * AWS writes "… because no X policy allows the A action" for an implicit deny and
 * "… with an explicit deny in a X policy" for an explicit one; an empty reason ends the sentence at the
 * resource, as older AWS messages do.
 */
export function denialMessage(input: DenialMessageInput): string {
  const head = `User: ${input.principalArn} is not authorized to perform: ${input.action} on resource: ${input.resource}`;
  if (!input.reason) return head;
  if (input.reason.startsWith("an explicit deny")) {
    const arn = input.denyingPolicyArn ? `: ${input.denyingPolicyArn}` : "";
    return `${head} with ${input.reason}${arn}`;
  }
  return `${head} because ${input.reason}`;
}
