// Splits an ARN into its six parts: arn, partition, service, region, account, resource (which may hold colons).

export type ArnParts = [string, string, string, string, string, string];

/**
 * The six parts, or undefined when the text has fewer than six colon-separated parts. The first part is not
 * checked here: callers compare it like the others, so "foo:aws:…" simply fails to match "arn:aws:…".
 */
export function splitArn(text: string): ArnParts | undefined {
  const parts = text.split(":");
  if (parts.length < 6) return undefined;
  const [arn, partition, service, region, account] = parts as [string, string, string, string, string];
  return [arn, partition, service, region, account, parts.slice(5).join(":")];
}
