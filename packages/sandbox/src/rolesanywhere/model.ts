// IAM Roles Anywhere as the sandbox keeps it: trust anchors (a CA bundle), profiles (the roles a certificate
// may assume and what narrows them) and imported CRLs. Plain data, from the world file or the control-plane API.

import type { PolicyDocument } from "../policy/types.js";

export interface TrustAnchor {
  /** A UUID, as AWS's trust anchor ids are. */
  id: string;
  /** arn:aws:rolesanywhere:REGION:ACCOUNT:trust-anchor/ID */
  arn: string;
  name: string;
  account: string;
  region: string;
  enabled: boolean;
  /** The CA bundle: one or more PEM certificates, as `x509CertificateData` holds them. */
  certificateBundle: string;
  createdAt: string;
  /** Set by the control plane's Update, Enable and Disable calls; absent = createdAt. */
  updatedAt?: string | undefined;
}

export interface RaProfile {
  id: string;
  /** arn:aws:rolesanywhere:REGION:ACCOUNT:profile/ID */
  arn: string;
  name: string;
  account: string;
  region: string;
  enabled: boolean;
  roleArns: string[];
  /** The inline session policy as JSON text (AWS keeps it as a string). */
  sessionPolicy?: string | undefined;
  managedPolicyArns: string[];
  /** 900–43200; the longest session the profile grants. */
  durationSeconds: number;
  /** Whether a caller may choose its role session name. */
  acceptRoleSessionName: boolean;
  createdAt: string;
  /** Set by the control plane's Update, Enable and Disable calls; absent = createdAt. */
  updatedAt?: string | undefined;
}

export interface RaCrl {
  id: string;
  /** arn:aws:rolesanywhere:REGION:ACCOUNT:crl/ID */
  arn: string;
  name: string;
  account: string;
  region: string;
  enabled: boolean;
  trustAnchorArn: string;
  /** The CRL's DER, base64. */
  crlDer: string;
  createdAt: string;
  /** Set by the control plane's Update, Enable and Disable calls; absent = createdAt. */
  updatedAt?: string | undefined;
}

export interface RolesAnywhereWorld {
  trustAnchors: TrustAnchor[];
  profiles: RaProfile[];
  crls: RaCrl[];
}

export function emptyRolesAnywhere(): RolesAnywhereWorld {
  return { trustAnchors: [], profiles: [], crls: [] };
}

/** A profile's session policy as a document the policy engine reads; undefined when it has none. */
export function parsedSessionPolicy(profile: RaProfile): PolicyDocument | undefined {
  return profile.sessionPolicy === undefined
    ? undefined
    : (JSON.parse(profile.sessionPolicy) as PolicyDocument);
}
