// The control plane's JSON documents for each resource, in the camelCase shapes AWS returns them.

import type { RaCrl, RaProfile, TrustAnchor } from "./model.js";

export function trustAnchorView(anchor: TrustAnchor): Record<string, unknown> {
  return {
    trustAnchorId: anchor.id,
    trustAnchorArn: anchor.arn,
    name: anchor.name,
    enabled: anchor.enabled,
    source: {
      sourceType: "CERTIFICATE_BUNDLE",
      sourceData: { x509CertificateData: anchor.certificateBundle },
    },
    createdAt: anchor.createdAt,
    updatedAt: anchor.updatedAt ?? anchor.createdAt,
  };
}

export function profileView(profile: RaProfile): Record<string, unknown> {
  return {
    profileId: profile.id,
    profileArn: profile.arn,
    name: profile.name,
    enabled: profile.enabled,
    roleArns: profile.roleArns,
    managedPolicyArns: profile.managedPolicyArns,
    ...(profile.sessionPolicy === undefined ? {} : { sessionPolicy: profile.sessionPolicy }),
    durationSeconds: profile.durationSeconds,
    acceptRoleSessionName: profile.acceptRoleSessionName,
    requireInstanceProperties: false,
    createdBy: `arn:aws:iam::${profile.account}:root`,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt ?? profile.createdAt,
  };
}

export function crlView(crl: RaCrl): Record<string, unknown> {
  return {
    crlId: crl.id,
    crlArn: crl.arn,
    name: crl.name,
    enabled: crl.enabled,
    trustAnchorArn: crl.trustAnchorArn,
    crlData: crl.crlDer,
    createdAt: crl.createdAt,
    updatedAt: crl.updatedAt ?? crl.createdAt,
  };
}
