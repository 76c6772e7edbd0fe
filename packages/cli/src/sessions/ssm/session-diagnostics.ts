// What the data channel notices on the way (a pause from the gateway and the rate it backs off to, a frame
// dropped, a write that failed) is shown on stderr with TOBIRA_DEBUG set, and not at all otherwise: it helps
// find why a session is slow, and says nothing a user has to act on. Diagnostics carry no payload bytes.
import type { DataChannelDiagnostic } from "@tobira/session";

/** A writer of the channel's diagnostics for one session, or undefined when TOBIRA_DEBUG is not set. */
export function debugDiagnostics(
  sessionId: string,
  env: NodeJS.ProcessEnv = process.env,
  write: (line: string) => void = (line) => process.stderr.write(line),
): ((diagnostic: DataChannelDiagnostic) => void) | undefined {
  if (!env.TOBIRA_DEBUG) return undefined;
  return (diagnostic) => {
    const at = diagnostic.sequenceNumber === undefined ? "" : ` #${diagnostic.sequenceNumber}`;
    const type = diagnostic.messageType === undefined ? "" : ` (${diagnostic.messageType}${at})`;
    write(`tobira: session ${sessionId}: ${diagnostic.kind}: ${diagnostic.reason}${type}\n`);
  };
}
