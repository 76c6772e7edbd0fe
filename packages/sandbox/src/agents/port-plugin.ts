// Port sessions (AWS-StartPortForwardingSession, …ToRemoteHost, AWS-StartSSHSession): not served yet. The
// agent refuses them before the data channel opens; a forwarding plugin replaces this one (basic/mux/stdio).

import type { SessionPlugin } from "./session-plugin.js";

export const PORT_SESSIONS_REFUSAL =
  "Port sessions (AWS-StartPortForwardingSession, AWS-StartPortForwardingSessionToRemoteHost, AWS-StartSSHSession) are not served by the tobira sandbox yet. Start a shell (SSM-SessionManagerRunShell) or a command session (AWS-StartInteractiveCommand, AWS-StartNonInteractiveCommand) instead.";

export const portPlugin: SessionPlugin = {
  refusal: () => PORT_SESSIONS_REFUSAL,
  start() {
    throw new Error(PORT_SESSIONS_REFUSAL);
  },
};
