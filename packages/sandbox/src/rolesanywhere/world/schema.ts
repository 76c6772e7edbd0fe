// The world file's `rolesAnywhere` section (zod v4): trust anchors with their CA bundle, profiles, CRLs.
// Names refer to each other (a CRL names its trust anchor); world/resolve.ts checks the references.

import { z } from "zod";

const accountId = z.string().regex(/^\d{12}$/, 'expected a 12-digit account id such as "111111111111"');
const region = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'expected a region name such as "ap-northeast-1"');
// Roles Anywhere resource names: 1–255 characters of letters, digits, space and _ . -
const raName = z
  .string()
  .regex(/^[ a-zA-Z0-9-_.]{1,255}$/, "a name is 1 to 255 letters, digits, spaces and _ . -");

const trustAnchor = z.strictObject({
  name: raName,
  account: accountId,
  region: region.optional(),
  enabled: z.boolean().default(true),
  /** PEM: the CA certificate(s) certificates must chain to. */
  certificateBundle: z.string().min(1, "a trust anchor needs its CA certificate(s) in PEM"),
});

const profile = z.strictObject({
  name: raName,
  account: accountId,
  region: region.optional(),
  enabled: z.boolean().default(true),
  /** Role ARNs, or role names in the profile's account. */
  roles: z.array(z.string().min(1)).min(1, "a profile names at least one role").max(250),
  sessionPolicy: z.record(z.string(), z.unknown()).optional(),
  managedPolicyArns: z.array(z.string().min(1)).max(50).default([]),
  durationSeconds: z
    .number()
    .int()
    .min(900, "durationSeconds is at least 900")
    .max(43200, "durationSeconds is at most 43200")
    .default(3600),
  acceptRoleSessionName: z.boolean().default(false),
});

const crl = z.strictObject({
  name: raName,
  /** The trust anchor's name; its account and region are the CRL's. */
  trustAnchor: z.string().min(1),
  enabled: z.boolean().default(true),
  /** PEM ('BEGIN X509 CRL'). */
  crl: z.string().min(1),
});

export const rolesAnywhereSectionSchema = z
  .strictObject({
    trustAnchors: z.array(trustAnchor).default([]),
    profiles: z.array(profile).default([]),
    crls: z.array(crl).default([]),
  })
  .prefault({});

export type RolesAnywhereSection = z.output<typeof rolesAnywhereSectionSchema>;
