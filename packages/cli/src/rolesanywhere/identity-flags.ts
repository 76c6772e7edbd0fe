// The flags the rolesanywhere commands share, as commander hands them over (types only).

export interface IdentityFlags {
  certificate?: string;
  privateKey?: string;
  intermediates?: string;
  trustAnchorArn?: string;
  profileArn?: string;
  roleArn?: string;
  sessionDuration?: string;
  roleSessionName?: string;
  region?: string;
  endpoint?: string;
  profile?: string;
  passphraseSource?: string;
}
