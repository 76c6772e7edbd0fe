// The zod schema of an IAM policy document, strict enough that a world file's mistakes are reported by path.

import { z } from "zod";
import { KNOWN_OPERATOR_NAMES, parseOperatorName } from "./conditions/operator-registry.js";
import type { PolicyDocument } from "./types.js";

const oneOrMoreStrings = z.union(
  [
    z.string().min(1, "must not be empty"),
    z.array(z.string().min(1, "must not be empty")).min(1, "must list at least one entry"),
  ],
  { error: "must be a string or a non-empty list of strings" },
);

const principalBlock = z.union([
  z.literal("*"),
  z
    .strictObject({
      AWS: oneOrMoreStrings.optional(),
      Service: oneOrMoreStrings.optional(),
      Federated: oneOrMoreStrings.optional(),
      CanonicalUser: oneOrMoreStrings.optional(),
    })
    .refine(
      (block) => Object.keys(block).length > 0,
      'name at least one of "AWS", "Service", "Federated", …',
    ),
]);

const conditionValue = z.union([z.string(), z.number(), z.boolean()]);

const conditionBlock = z
  .record(z.string(), z.record(z.string(), z.union([conditionValue, z.array(conditionValue).min(1)])))
  .superRefine((block, ctx) => {
    for (const operator of Object.keys(block)) {
      if (!parseOperatorName(operator)) {
        ctx.addIssue({
          code: "custom",
          path: [operator],
          message:
            `unknown condition operator "${operator}": use one of ${KNOWN_OPERATOR_NAMES.join(", ")}, ` +
            `optionally with an "IfExists" suffix or a "ForAnyValue:"/"ForAllValues:" prefix`,
        });
      }
    }
  });

const statement = z
  .strictObject({
    Sid: z.string().optional(),
    Effect: z.enum(["Allow", "Deny"], { error: 'Effect must be "Allow" or "Deny"' }),
    Action: oneOrMoreStrings.optional(),
    NotAction: oneOrMoreStrings.optional(),
    Resource: oneOrMoreStrings.optional(),
    NotResource: oneOrMoreStrings.optional(),
    // Whether a Principal belongs in this policy (trust and key policies yes, identity policies no) is the
    // caller's concern; the schema accepts it everywhere.
    Principal: principalBlock.optional(),
    NotPrincipal: principalBlock.optional(),
    Condition: conditionBlock.optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.Action === undefined) === (s.NotAction === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: s.Action === undefined ? [] : ["NotAction"],
        message: 'a statement needs exactly one of "Action" or "NotAction"',
      });
    }
    if (s.Resource !== undefined && s.NotResource !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["NotResource"],
        message: 'a statement takes "Resource" or "NotResource", not both',
      });
    }
    if (s.Principal !== undefined && s.NotPrincipal !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["NotPrincipal"],
        message: 'a statement takes "Principal" or "NotPrincipal", not both',
      });
    }
  });

export const policyStatementSchema = statement;

export const policyDocumentSchema: z.ZodType<PolicyDocument> = z.strictObject({
  Version: z
    .enum(["2012-10-17", "2008-10-17"], {
      error: 'Version must be "2012-10-17" (needed for policy variables) or "2008-10-17"',
    })
    .optional(),
  Id: z.string().optional(),
  // A single statement is read as a list of one, so that every error names its statement by index
  // (`Statement.0.Effect`) instead of a union's "invalid input".
  Statement: z.preprocess(
    (value) => (value !== null && typeof value === "object" && !Array.isArray(value) ? [value] : value),
    z.array(statement).min(1, "a policy needs at least one statement"),
  ),
});
