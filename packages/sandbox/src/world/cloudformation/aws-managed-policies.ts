// AWS-managed policies the templates attach: taken from the base world, else from the sandbox's built-in
// world (abridged copies), else a placeholder that grants nothing, reported as an error where a person's
// permissions depend on it and as a note for service roles.

import type { PolicyDocument } from "../../policy/types.js";
import { defaultWorld } from "../load.js";
import type { Findings } from "./findings.js";
import type { WorldDraft } from "./world-draft.js";

const AWS_MANAGED_ARN = /^arn:aws:iam::aws:policy(\/(?:.*\/)?)([\w+=,.@-]+)$/;

/** Grants nothing a real request asks for, so an unknown policy never widens access. */
const PLACEHOLDER: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "NotModelledBySandbox",
      Effect: "Allow",
      Action: "tobira-sandbox:PolicyNotModelled",
      Resource: "*",
    },
  ],
};

function builtInPolicies(): Map<
  string,
  { name: string; path: string; description: string; document: PolicyDocument }
> {
  try {
    return new Map(
      defaultWorld()
        .managedPolicies.filter((policy) => policy.account === "aws")
        .map((policy) => [
          policy.arn,
          {
            name: policy.name,
            path: policy.path ?? "/",
            description: policy.description ?? "",
            document: policy.document,
          },
        ]),
    );
  } catch {
    return new Map();
  }
}

/** Does a person act through this role (an AWS principal in its trust), rather than only a service? */
function trustsPeople(trust: unknown): boolean {
  const statements = (trust as { Statement?: unknown } | undefined)?.Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  return list.some((statement) => {
    const principal = (statement as { Principal?: unknown } | undefined)?.Principal;
    return (
      principal === "*" ||
      (principal !== null &&
        typeof principal === "object" &&
        ("AWS" in principal || "Federated" in principal))
    );
  });
}

export function addAwsManagedPolicies(draft: WorldDraft, findings: Findings): void {
  const known = new Set(
    draft.sections.managedPolicies.map(
      (policy) => `arn:aws:iam::${policy.account}:policy${policy.path ?? "/"}${policy.name}`,
    ),
  );
  let builtIn: ReturnType<typeof builtInPolicies> | undefined;
  const kinds = ["users", "groups", "roles"] as const;
  for (const kind of kinds) {
    draft.sections[kind].forEach((entity, index) => {
      const origin = draft.origins[kind][index]!;
      (entity.managedPolicies ?? []).forEach((arn) => {
        const match = AWS_MANAGED_ARN.exec(arn);
        if (match === null || known.has(arn)) return;
        known.add(arn);
        builtIn ??= builtInPolicies();
        const copy = builtIn.get(arn);
        const where = { template: origin.template, path: [...origin.path, "ManagedPolicyArns"] };
        if (copy !== undefined) {
          draft.add("managedPolicies", { ...copy, account: "aws" }, where);
          findings.note(
            where.template,
            where.path,
            `${arn}: the sandbox's abridged copy of this AWS-managed policy is used`,
          );
          return;
        }
        draft.add(
          "managedPolicies",
          {
            name: match[2]!,
            account: "aws",
            path: match[1]!,
            description: "Not modelled by the sandbox",
            document: PLACEHOLDER,
          },
          where,
        );
        const matters = kind !== "roles" || trustsPeople((entity as { trust?: unknown }).trust);
        const message = `${arn} is an AWS-managed policy the sandbox does not know; it grants nothing here`;
        if (matters) {
          findings.error(
            where.template,
            where.path,
            `${message}. Declare it (account: aws) in the base world`,
          );
        } else findings.note(where.template, where.path, `${message} (only a service uses this role)`);
      });
    });
  }
}
