// The world file's shape (zod v4): field types, formats, limits and defaults. Cross-references are checked
// afterwards by `resolve.ts`, which turns this input into the `World` the services read.

import { z } from "zod";
import { Base32Error, base32Decode } from "../mfa/base32.js";
import { policyDocumentSchema } from "../policy/index.js";
import { rolesAnywhereSectionSchema } from "../rolesanywhere/world/schema.js";
import { identityCenterSchema } from "./identity-center-schema.js";

/** Creation time of entities that do not say: a fixed instant, so a world always yields the same answers. */
export const DEFAULT_CREATED = "2024-04-01T00:00:00Z";

const accountId = z.string().regex(/^\d{12}$/, 'expected a 12-digit account id such as "111111111111"');

const region = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'expected a region name such as "ap-northeast-1"');

// IAM's name rules: letters, digits and + = , . @ _ -.
const iamName = (what: string, max: number) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} is at most ${max} characters`)
    .regex(/^[\w+=,.@-]+$/, `${what} may contain only letters, digits and + = , . @ _ -`);

const iamPath = z
  .string()
  .max(512, "a path is at most 512 characters")
  .regex(/^\/([\x21-\x7e]*\/)?$/, 'expected a path that starts and ends with "/", such as "/" or "/ops/"');

const isoTime = z.iso.datetime({
  offset: true,
  message: 'expected an ISO-8601 time such as "2024-04-01T00:00:00Z"',
});

const tagKey = z
  .string()
  .min(1, "a tag key must not be empty")
  .max(128, "a tag key is at most 128 characters")
  .regex(
    /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u,
    "a tag key may contain letters, digits, spaces and _ . : / = + - @",
  )
  .refine(
    (key) => !key.toLowerCase().startsWith("aws:"),
    'tag keys starting with "aws:" are reserved for AWS',
  );

const tagValue = z
  .string()
  .max(256, "a tag value is at most 256 characters")
  .regex(
    /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
    "a tag value may contain letters, digits, spaces and _ . : / = + - @",
  );

const tags = z
  .record(tagKey, tagValue)
  .refine((value) => Object.keys(value).length <= 50, "at most 50 tags")
  .default({});

// AWS access key ids are AKIA (long-term) followed by 16 characters of the base32 alphabet (A-Z, 2-7).
export const ACCESS_KEY_ID_PATTERN = /^AKIA[A-Z2-7]{16}$/;

const accessKey = z.strictObject({
  id: z
    .string()
    .regex(ACCESS_KEY_ID_PATTERN, "expected an access key id: AKIA followed by 16 characters of A-Z and 2-7")
    .optional(),
  secret: z
    .string()
    .regex(/^[A-Za-z0-9/+]{40}$/, "expected a secret access key: 40 characters of A-Z, a-z, 0-9, / and +")
    .optional(),
  status: z.enum(["Active", "Inactive"]).default("Active"),
  created: isoTime.optional(),
});

// RFC 4226 requires a shared secret of at least 128 bits.
const MIN_SEED_BYTES = 16;

const totpSeed = z.string().superRefine((value, context) => {
  let bytes: Buffer;
  try {
    bytes = base32Decode(value);
  } catch (error) {
    const why = error instanceof Base32Error ? error.message : "unreadable";
    context.addIssue({ code: "custom", message: `not a base32 TOTP secret: ${why}` });
    return;
  }
  if (bytes.length < MIN_SEED_BYTES) {
    context.addIssue({
      code: "custom",
      message: `a TOTP secret must be at least ${MIN_SEED_BYTES} bytes (26 base32 characters); this one has ${bytes.length}`,
    });
  }
});

export const MFA_SERIAL_PATTERN = /^arn:aws:iam::(\d{12}):mfa\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]+$/;

const mfaDevice = z
  .strictObject({
    serial: z
      .string()
      .regex(
        MFA_SERIAL_PATTERN,
        'expected a virtual MFA serial such as "arn:aws:iam::111111111111:mfa/alice"',
      )
      .optional(),
    name: iamName("an MFA device name", 226).optional(),
    secret: totpSeed,
  })
  .refine((device) => (device.serial === undefined) !== (device.name === undefined), {
    message: "give the device either a serial (its ARN) or a name, not both and not neither",
  });

const inlinePolicies = z.record(iamName("a policy name", 128), policyDocumentSchema).default({});
const managedPolicyRefs = z.array(z.string().min(1, "a policy ARN or name must not be empty")).default([]);

const account = z.strictObject({
  id: accountId,
  alias: z
    .string()
    .regex(
      /^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$/,
      "an account alias is lower-case letters, digits and single hyphens",
    )
    .min(3, "an account alias is at least 3 characters")
    .max(63, "an account alias is at most 63 characters")
    .optional(),
});

const managedPolicy = z.strictObject({
  name: iamName("a policy name", 128),
  /** A 12-digit account for customer-managed policies, or "aws" for AWS-managed ones. */
  account: z.union([accountId, z.literal("aws")]),
  path: iamPath.default("/"),
  description: z.string().max(1000).default(""),
  document: policyDocumentSchema,
});

const user = z.strictObject({
  name: iamName("a user name", 64),
  account: accountId,
  path: iamPath.default("/"),
  created: isoTime.optional(),
  accessKeys: z.array(accessKey).max(2, "an IAM user has at most 2 access keys").default([]),
  mfaDevices: z.array(mfaDevice).max(8, "an IAM user has at most 8 MFA devices").default([]),
  tags,
  groups: z.array(iamName("a group name", 128)).default([]),
  inlinePolicies,
  managedPolicies: managedPolicyRefs,
});

const group = z.strictObject({
  name: iamName("a group name", 128),
  account: accountId,
  path: iamPath.default("/"),
  created: isoTime.optional(),
  inlinePolicies,
  managedPolicies: managedPolicyRefs,
});

const role = z.strictObject({
  name: iamName("a role name", 64),
  account: accountId,
  path: iamPath.default("/"),
  description: z.string().max(1000).default(""),
  created: isoTime.optional(),
  trust: policyDocumentSchema,
  inlinePolicies,
  managedPolicies: managedPolicyRefs,
  tags,
  maxSessionDuration: z
    .number()
    .int("maxSessionDuration is a whole number of seconds")
    .min(3600, "maxSessionDuration is at least 3600 seconds (1 hour)")
    .max(43200, "maxSessionDuration is at most 43200 seconds (12 hours)")
    .default(3600),
});

export const KMS_KEY_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const kmsKey = z.strictObject({
  id: z.string().regex(KMS_KEY_ID_PATTERN, "expected a key id in UUID form (lower-case hex)").optional(),
  account: accountId,
  region: region.optional(),
  aliases: z
    .array(
      z
        .string()
        .regex(/^alias\/[a-zA-Z0-9/_-]{1,250}$/, 'expected an alias such as "alias/session-manager"')
        .refine((alias) => !alias.startsWith("alias/aws/"), '"alias/aws/" is reserved for AWS-managed keys'),
    )
    .default([]),
  description: z.string().max(8192).default(""),
  enabled: z.boolean().default(true),
  /** Default: the key policy AWS creates, which delegates to the account's IAM policies. */
  policy: policyDocumentSchema.optional(),
});

// Session Manager keeps its preferences as strings in the SSM-SessionManagerRunShell document; YAML
// authors naturally write numbers, so both are accepted and stored as the document's strings.
const minutesString = (what: string, max: number) =>
  z
    .union([z.string(), z.number()])
    .transform((value) => String(value))
    .refine((value) => /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= max, {
      message: `${what} is a whole number of minutes from 1 to ${max}`,
    });

const sessionPreferences = z.strictObject({
  account: accountId,
  region: region.optional(),
  kmsKeyId: z.string().default(""),
  runAsEnabled: z.boolean().default(false),
  runAsDefaultUser: z
    .string()
    .max(32)
    .regex(/^[a-z_]?[a-z0-9_.-]*$/i, "expected an operating-system user name")
    .default(""),
  idleSessionTimeout: minutesString("idleSessionTimeout", 60).default("20"),
  maxSessionDuration: z.union([z.literal(""), minutesString("maxSessionDuration", 1440)]).default(""),
  shellProfile: z
    .strictObject({ linux: z.string().default(""), windows: z.string().default("") })
    .prefault({}),
});

export const INSTANCE_ID_PATTERN = /^(i-[0-9a-f]{8}|i-[0-9a-f]{17}|mi-[0-9a-f]{17})$/;

const ipv4 = z.ipv4({ message: 'expected an IPv4 address such as "10.0.1.10"' });

const hostAndPort = /^[A-Za-z0-9.-]+:\d{1,5}$/;

export const instancePortSchema = z
  .strictObject({
    port: z.number().int().min(1, "a port is 1 to 65535").max(65535, "a port is 1 to 65535"),
    service: z.enum(["http", "echo", "sshd", "tcp"]),
    target: z.string().regex(hostAndPort, 'expected host:port such as "127.0.0.1:5432"').optional(),
  })
  .superRefine((value, context) => {
    if (value.service === "tcp" && value.target === undefined) {
      context.addIssue({
        code: "custom",
        path: ["target"],
        message: 'a "tcp" port needs a target host:port',
      });
    }
    if (value.service !== "tcp" && value.target !== undefined) {
      context.addIssue({ code: "custom", path: ["target"], message: 'only a "tcp" port has a target' });
    }
  });

// What a machine's agent can reach and run as, the same for an EC2 instance and an on-premises node.
const reachabilityFields = {
  reachableHosts: z
    .array(
      z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'expected host or host:port such as "10.0.1.11:5432"'),
    )
    .default([]),
  osUsers: z.array(z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, "expected an OS user name")).optional(),
  agentOnline: z.boolean().default(true),
};

const instance = z.strictObject({
  id: z
    .string()
    .regex(
      INSTANCE_ID_PATTERN,
      'expected "i-" and 8 or 17 hex digits (EC2), or "mi-" and 17 hex digits (managed node)',
    ),
  account: accountId,
  region: region.optional(),
  name: z.string().min(1, "an instance needs a name").max(256),
  tags,
  state: z.enum(["running", "stopped", "pending", "stopping", "terminated"]).default("running"),
  platform: z.enum(["Linux", "Windows"]).default("Linux"),
  role: z.string().default(""),
  privateIp: ipv4.optional(),
  privateDnsName: z.string().optional(),
  ports: z.array(instancePortSchema).default([]),
  ...reachabilityFields,
});

// Hybrid activations the world starts with, and the on-premises nodes registered through each: the nodes are
// online from the start, with the activation's role and tags, as if their agents had registered long ago.
const activationNode = z.strictObject({
  name: z.string().min(1, "a node needs a name").max(256),
  /** Default: derived from the activation and the node's name, so the world keeps it. */
  id: z
    .string()
    .regex(/^mi-[0-9a-f]{17}$/, 'expected "mi-" and 17 hex digits, such as "mi-0123456789abcdef0"')
    .optional(),
  tags,
  platform: z.enum(["Linux", "Windows"]).default("Linux"),
  privateIp: ipv4.optional(),
  ports: z.array(instancePortSchema).default([]),
  ...reachabilityFields,
  registeredAt: isoTime.optional(),
});

const hybridActivation = z.strictObject({
  /** The world's name for it (nodes and errors say it); its ActivationId is derived from it unless given. */
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "an activation name may contain only letters, digits and _ . -"),
  id: z
    .string()
    .regex(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      "expected an activation id in UUID form (lower-case hex)",
    )
    .optional(),
  account: accountId,
  region: region.optional(),
  /** The IAM service role SSM gives the nodes: a role of the account that trusts ssm.amazonaws.com. */
  iamRole: z.string().min(1, "an activation needs its iamRole").max(64),
  description: z.string().max(256).optional(),
  defaultInstanceName: z.string().max(256).optional(),
  /** Default: the number of its nodes (at least 1). */
  registrationLimit: z
    .number()
    .int()
    .min(1, "registrationLimit is 1 to 1000")
    .max(1000, "registrationLimit is 1 to 1000")
    .optional(),
  tags,
  created: isoTime.optional(),
  /** Default: a day after it was created, as CreateActivation's default; its nodes stay registered after it. */
  expirationDate: isoTime.optional(),
  nodes: z.array(activationNode).default([]),
});

const profile = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_.@+-]{1,64}$/, "a profile name may contain only letters, digits and _ . @ + -"),
  /** A user profile: the user's name or ARN; its first active access key goes into the credentials file. */
  user: z.string().min(1).optional(),
  /** A role profile: the role's ARN or name. */
  role: z.string().min(1).optional(),
  sourceProfile: z.string().min(1).optional(),
  mfaSerial: z.string().min(1).optional(),
  region: region.optional(),
  durationSeconds: z
    .number()
    .int()
    .min(900, "durationSeconds is at least 900")
    .max(43200, "durationSeconds is at most 43200")
    .optional(),
});

// Not AWS: how the sandbox's simulated agents depart from the real SSM agent, only where a world asks.
const agents = z.strictObject({
  reportShellExitCode: z.boolean().default(false),
});

export const worldFileSchema = z.strictObject({
  region: region.default("us-east-1"),
  accounts: z.array(account).min(1, "a world needs at least one account"),
  managedPolicies: z.array(managedPolicy).default([]),
  users: z.array(user).default([]),
  groups: z.array(group).default([]),
  roles: z.array(role).default([]),
  kmsKeys: z.array(kmsKey).default([]),
  sessionPreferences: z.array(sessionPreferences).default([]),
  instances: z.array(instance).default([]),
  /** Hybrid activations and the on-premises `mi-…` nodes registered through them (online from the start). */
  hybridActivations: z.array(hybridActivation).default([]),
  /** Absent: one profile per user, named after it. */
  /** An IAM Identity Center instance: its users sign in with the device flow and get permission set roles. */
  identityCenter: identityCenterSchema.optional(),
  profiles: z.array(profile).optional(),
  /** IAM Roles Anywhere: trust anchors, profiles and CRLs (see rolesanywhere/world/schema.ts). */
  rolesAnywhere: rolesAnywhereSectionSchema,
  agents: agents.prefault({}),
});

export type WorldFile = z.output<typeof worldFileSchema>;
