// NextToken paging over a list the sandbox computes afresh on each call: the token is the next offset,
// wrapped so clients treat it as opaque.

import { AwsServiceError } from "../../protocol/errors.js";

export function readPage<T>(
  items: readonly T[],
  nextToken: string | undefined,
  pageSize: number,
): { items: T[]; nextToken?: string | undefined } {
  let start = 0;
  if (nextToken !== undefined) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(nextToken, "base64").toString("utf8"));
    if (!decoded) throw new AwsServiceError("InvalidNextToken", "The specified token isn't valid.", 400);
    start = Number(decoded[1]);
  }
  const end = start + pageSize;
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? Buffer.from(`offset:${end}`).toString("base64") : undefined,
  };
}
