/** The connected Unix socket's peer, as the kernel recorded it at connect(). */
export interface PeerCredentials {
  pid: number;
  uid: number;
  gid: number;
}
/** SO_PEERCRED of a connected Unix socket's file descriptor. Throws when the addon is not built or the call fails. */
export function peerCredentials(fd: number): PeerCredentials;
/** Whether the native addon loaded. */
export const available: boolean;
