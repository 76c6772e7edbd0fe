// The world file's `identityCenter` section (zod v4): one IAM Identity Center instance with its start URL,
// its own users and groups (the identity store, not IAM), permission sets and account assignments. The
// resolver (resolvers/identity-center.ts) turns each assigned permission set into the role AWS provisions in
// the account, `AWSReservedSSO_<set>_<suffix>`.

import { z } from "zod";
import { policyDocumentSchema } from "../policy/index.js";

const accountId = z.string().regex(/^\d{12}$/, 'expected a 12-digit account id such as "111111111111"');

// Identity Center user and group names: letters, digits and + = , . @ _ - (the identity store's rule).
const storeName = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(128, `${what} is at most 128 characters`)
    .regex(/^[\w+=,.@-]+$/, `${what} may contain only letters, digits and + = , . @ _ -`);

const ssoUser = z.strictObject({
  name: storeName("a user name"),
  email: z.string().max(128).optional(),
  displayName: z.string().max(256).optional(),
  /** What the user signs in with on the device page; absent: a random one, kept in the state folder. */
  password: z
    .string()
    .min(8, "a password is at least 8 characters")
    .max(128, "a password is at most 128 characters")
    .optional(),
});

const ssoGroup = z.strictObject({
  name: storeName("a group name"),
  members: z.array(z.string().min(1)).default([]),
});

// A permission set's name is at most 32 characters so that its role name fits IAM's 64.
const permissionSet = z.strictObject({
  name: z
    .string()
    .min(1, "a permission set name must not be empty")
    .max(32, "a permission set name is at most 32 characters")
    .regex(/^[\w+=,.@-]+$/, "a permission set name may contain only letters, digits and + = , . @ _ -"),
  description: z.string().max(700).default(""),
  /** Seconds the role credentials last, 1 to 12 hours (AWS writes it as PT1H … PT12H). */
  sessionDuration: z
    .number()
    .int("sessionDuration is a whole number of seconds")
    .min(3600, "sessionDuration is at least 3600 seconds (1 hour)")
    .max(43200, "sessionDuration is at most 43200 seconds (12 hours)")
    .default(3600),
  inlinePolicy: policyDocumentSchema.optional(),
  managedPolicies: z.array(z.string().min(1)).default([]),
});

const assignment = z
  .strictObject({
    account: accountId,
    permissionSet: z.string().min(1),
    user: z.string().min(1).optional(),
    group: z.string().min(1).optional(),
  })
  .refine((value) => (value.user === undefined) !== (value.group === undefined), {
    message: "an assignment names either a user or a group, not both and not neither",
  });

export const identityCenterSchema = z.strictObject({
  /** The instance's region (where the OIDC service and the portal are); default: the world's region. */
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'expected a region name such as "ap-northeast-1"')
    .optional(),
  /** The AWS access portal URL users sign in at. */
  startUrl: z
    .string()
    .regex(
      /^https:\/\/[^\s/]+(\/[^\s]*)?$/,
      'expected an https URL such as "https://d-1234567890.awsapps.com/start"',
    )
    .default("https://d-9067642ac7.awsapps.com/start"),
  /** Seconds an access token from CreateToken lasts (AWS: 8 hours by default). */
  accessTokenSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(28800),
  users: z.array(ssoUser).default([]),
  groups: z.array(ssoGroup).default([]),
  permissionSets: z.array(permissionSet).default([]),
  assignments: z.array(assignment).default([]),
});

export type IdentityCenterFile = z.output<typeof identityCenterSchema>;
