// The shape of a request once read off the socket: what auth, protocols and services look at.

export interface IncomingAwsRequest {
  method: string;
  /** Path as sent on the wire, still percent-encoded, without the query string. */
  rawPath: string;
  /** Query-string parameters, decoded, repeated names kept in order. */
  query: Map<string, string[]>;
  /** Header values by lower-cased name, every occurrence kept. */
  headers: Record<string, string[]>;
  body: Buffer;
  /** The peer's address without the IPv4-mapped prefix (aws:SourceIp). */
  sourceIp: string;
}

/** A header's value, occurrences joined by "," as SigV4's canonical form joins them. */
export function headerValue(request: IncomingAwsRequest, name: string): string | undefined {
  return request.headers[name.toLowerCase()]?.join(",");
}
