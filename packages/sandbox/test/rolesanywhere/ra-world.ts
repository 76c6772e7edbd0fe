// The Roles Anywhere test world: one account, an admin user with keys for the control plane and a reader
// without, roles whose trust policies let the service in on conditions of the certificate, a trust anchor
// holding the test root CA, two profiles and the root's CRL.

import { parseWorld } from "../../src/world/index.js";
import type { World } from "../../src/world/model.js";
import type { TestPki } from "./pki.js";

export const ACCOUNT = "333333333333";
export const REGION = "eu-west-1";
export const SERVER_ROLE = `arn:aws:iam::${ACCOUNT}:role/lab-server`;
export const WEB1_ROLE = `arn:aws:iam::${ACCOUNT}:role/web-1-only`;
export const OTHER_ANCHOR_ROLE = `arn:aws:iam::${ACCOUNT}:role/other-anchor-only`;
export const NO_RA_ROLE = `arn:aws:iam::${ACCOUNT}:role/no-roles-anywhere`;
export const ADMIN_KEY = {
  accessKeyId: "AKIAQAAAAAAAAAAAAAAA",
  secretAccessKey: "lab+admin+secret+0000000000000000000000/",
};
export const READER_KEY = {
  accessKeyId: "AKIAQAAAAAAAAAAAAAAB",
  secretAccessKey: "lab+reader+secret+000000000000000000000/",
};

const q = (value: string) => JSON.stringify(value);

function trust(condition: Record<string, unknown>): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "rolesanywhere.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
        Condition: condition,
      },
    ],
  });
}

const readAll = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: ["sts:GetCallerIdentity", "iam:GetUser", "iam:ListUsers"], Resource: "*" },
  ],
});

export function raWorldYaml(pki: TestPki): string {
  return `
region: ${REGION}
accounts:
  - id: "${ACCOUNT}"
users:
  - name: lab-admin
    account: "${ACCOUNT}"
    accessKeys: [{ id: ${ADMIN_KEY.accessKeyId}, secret: ${q(ADMIN_KEY.secretAccessKey)} }]
    inlinePolicies:
      rolesanywhere: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "rolesanywhere:*", Resource: "*" }] }
  - name: lab-reader
    account: "${ACCOUNT}"
    accessKeys: [{ id: ${READER_KEY.accessKeyId}, secret: ${q(READER_KEY.secretAccessKey)} }]
roles:
  - name: lab-server
    account: "${ACCOUNT}"
    tags: { team: lab }
    trust: ${trust({
      StringEquals: { "aws:PrincipalTag/x509Subject/OU": "servers" },
      ArnLike: { "aws:SourceArn": `arn:aws:rolesanywhere:*:${ACCOUNT}:trust-anchor/*` },
    })}
    inlinePolicies: { read: ${readAll} }
    maxSessionDuration: 43200
  - name: web-1-only
    account: "${ACCOUNT}"
    trust: ${trust({ StringEquals: { "aws:PrincipalTag/x509Subject/CN": "web-1" } })}
    inlinePolicies: { read: ${readAll} }
  - name: other-anchor-only
    account: "${ACCOUNT}"
    trust: ${trust({ ArnEquals: { "aws:SourceArn": `arn:aws:rolesanywhere:${REGION}:${ACCOUNT}:trust-anchor/00000000-0000-4000-8000-000000000000` } })}
  - name: lab-deployer
    account: "${ACCOUNT}"
    trust: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { AWS: "${SERVER_ROLE}" }, Action: "sts:AssumeRole" }] }
    inlinePolicies: { read: ${readAll} }
  - name: no-roles-anywhere
    account: "${ACCOUNT}"
    trust: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { AWS: "arn:aws:iam::${ACCOUNT}:root" }, Action: "sts:AssumeRole" }] }
rolesAnywhere:
  trustAnchors:
    - name: lab-root
      account: "${ACCOUNT}"
      certificateBundle: ${q(pki.rootPem)}
  profiles:
    - name: lab-servers
      account: "${ACCOUNT}"
      roles: [lab-server, web-1-only, other-anchor-only, no-roles-anywhere]
      durationSeconds: 7200
    - name: lab-narrow
      account: "${ACCOUNT}"
      roles: [lab-server]
      durationSeconds: 900
      acceptRoleSessionName: true
      sessionPolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "sts:GetCallerIdentity", Resource: "*" }] }
    - name: lab-disabled
      account: "${ACCOUNT}"
      enabled: false
      roles: [lab-server]
  crls:
    - name: lab-root-crl
      trustAnchor: lab-root
      crl: ${q(pki.rootCrlPem)}
`;
}

export function raWorld(pki: TestPki): World {
  return parseWorld(raWorldYaml(pki), "roles-anywhere test world");
}
