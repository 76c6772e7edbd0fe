// IAM Roles Anywhere as the sandbox keeps it: trust anchors (a CA bundle), profiles (the roles a certificate
// may assume and what narrows them) and imported CRLs. Plain data, from the world file or the control-plane API.

import type { PolicyDocument } from "../policy/types.js";

/** What trust anchors, profiles and CRLs all carry: AWS gives each the same id, ARN, state and times. */
interface RaResource {
  /** A UUID, as AWS's Roles Anywhere ids are. */
  id: string;
  /** arn:aws:rolesanywhere:REGION:ACCOUNT:KIND/ID, KIND being trust-anchor, profile or crl */
  arn: string;
  name: string;
  account: string;
  region: string;
  enabled: boolean;
  createdAt: string;
  /** Set by the control plane's Update, Enable and Disable calls; absent = createdAt. */
  updatedAt?: string | undefined;
}

export interface TrustAnchor extends RaResource {
  /** The CA bundle: one or more PEM certificates, as `x509CertificateData` holds them. */
  certificateBundle: string;
}

export interface RaProfile extends RaResource {
  roleArns: string[];
  /** The inline session policy as JSON text (AWS keeps it as a string). */
  sessionPolicy?: string | undefined;
  managedPolicyArns: string[];
  /** 900–43200; the longest session the profile grants. */
  durationSeconds: number;
  /** Whether a caller may choose its role session name. */
  acceptRoleSessionName: boolean;
}

export interface RaCrl extends RaResource {
  trustAnchorArn: string;
  /** The CRL's DER, base64. */
  crlDer: string;
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
