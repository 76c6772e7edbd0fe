// Synthesized CloudFormation templates (CDK output) into a sandbox World: the IAM users, groups, roles and
// policies, KMS keys and aliases, Session Manager preferences and EC2 instances they declare, added to a
// base world and checked by the same schema and cross-reference rules as a world file.

import { formatPath, issuesFromZod, type WorldIssue } from "../issues.js";
import type { World } from "../model.js";
import { resolveWorld } from "../resolve.js";
import { worldFileSchema } from "../schema.js";
import { addAwsManagedPolicies } from "./aws-managed-policies.js";
import { addBaseWorld } from "./base-world.js";
import { Findings, TemplateError, type TemplateFinding } from "./findings.js";
import { IAM_READERS } from "./iam-resources.js";
import { INSTANCE_READERS } from "./instance-resources.js";
import { UnresolvedValue } from "./intrinsics.js";
import { KMS_READERS } from "./kms-resources.js";
import { isCustomResource, readCustomResource, readSsmDocument } from "./preferences-resources.js";
import { type Deferred, ReadContext } from "./read-context.js";
import { addRoleProfiles } from "./role-profiles.js";
import { StackModel } from "./stack-model.js";
import { type LoadedTemplate, loadTemplate, type TemplateSource } from "./template-source.js";
import { BASE_WORLD, type Section, WorldDraft } from "./world-draft.js";

export interface WorldFromTemplatesOptions {
  /** The account the templates are deployed to (a source may override it). */
  account: string;
  /** The region the templates are deployed to (a source may override it). */
  region: string;
  /** Entities the templates join; default: an empty world with just the account. */
  base?: World;
  /** Values for template parameters (those without a default, or read from SSM Parameter Store). */
  parameters?: Readonly<Record<string, string>>;
  /** Called with each note (parts left out that change no IAM decision). */
  onNote?: (note: TemplateFinding) => void;
}

export interface TemplateWorld {
  world: World;
  /** Parts left out that change no IAM decision: skipped resources, logging settings, … */
  notes: TemplateFinding[];
}

const READERS: Record<string, (ctx: ReadContext, logicalId: string) => void> = {
  ...IAM_READERS,
  ...KMS_READERS,
  ...INSTANCE_READERS,
};

/** Resource types whose effect on IAM decisions the sandbox cannot model: loading them would mislead. */
const DECISION_CHANGING = new Set(["AWS::Organizations::Policy", "AWS::IAM::PermissionsBoundary"]);

/** Bookkeeping CDK adds; nothing to report. */
const SILENT = new Set(["AWS::CDK::Metadata"]);

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

function checkOptions(options: WorldFromTemplatesOptions, templates: LoadedTemplate[]): void {
  const problems: TemplateFinding[] = [];
  for (const template of templates) {
    if (!ACCOUNT.test(template.account)) {
      problems.push({
        template: template.label,
        path: [],
        message: `account "${template.account}" is not a 12-digit account id`,
      });
    }
    if (!REGION.test(template.region)) {
      problems.push({
        template: template.label,
        path: [],
        message: `region "${template.region}" is not a region name`,
      });
    }
  }
  if (problems.length > 0) {
    throw new TemplateError(
      problems,
      [],
      "Give the account and region the stack is deployed to, e.g. 111111111111 and ap-northeast-1.",
    );
  }
  void options;
}

function readStack(ctx: ReadContext): void {
  for (const [logicalId, resource] of ctx.model.resources) {
    const type = resource.Type;
    if (SILENT.has(type)) continue;
    const created = ctx.attempt("error", () => ctx.model.isCreated(logicalId));
    if (created === undefined) continue;
    if (!created) {
      ctx.report("note", ["Resources", logicalId], `left out: its Condition ${resource.Condition} is false`);
      continue;
    }
    const reader = READERS[type];
    if (reader !== undefined) {
      reader(ctx, logicalId);
      continue;
    }
    if (isCustomResource(type) && readCustomResource(ctx, logicalId)) continue;
    if (type === "AWS::SSM::Document" && readSsmDocument(ctx, logicalId)) continue;
    if (DECISION_CHANGING.has(type)) {
      ctx.report(
        "error",
        ["Resources", logicalId],
        `${type} is not modelled; the sandbox would allow more than AWS does`,
      );
      continue;
    }
    ctx.report("note", ["Resources", logicalId], `skipped: ${type} ${logicalId} (not modelled)`);
  }
}

/** Connects Fn::ImportValue to the Outputs the loaded stacks export. */
function exportDirectory(models: () => StackModel[]) {
  let exported: Map<string, () => unknown> | undefined;
  const resolving = new Set<string>();
  return {
    importValue(name: string, path: (string | number)[]): unknown {
      exported ??= new Map(models().flatMap((model) => [...model.exportedValues()]));
      const value = exported.get(name);
      if (value === undefined) {
        throw new UnresolvedValue(
          path,
          `unsupported intrinsic Fn::ImportValue: no loaded template exports "${name}"`,
        );
      }
      if (resolving.has(name)) throw new UnresolvedValue(path, `export "${name}" refers to itself`);
      resolving.add(name);
      try {
        return value();
      } finally {
        resolving.delete(name);
      }
    },
  };
}

/** World issues (paths into the draft) as findings pointing at the template resource or base entity. */
function findingsOf(issues: WorldIssue[], draft: WorldDraft): TemplateFinding[] {
  return issues.map((issue) => {
    const [section, index, ...rest] = issue.path;
    const origin =
      typeof section === "string" && typeof index === "number"
        ? draft.origins[section as Section]?.[index]
        : undefined;
    if (origin === undefined) return { template: "world", path: issue.path, message: issue.message };
    if (origin.template === BASE_WORLD)
      return { template: BASE_WORLD, path: issue.path, message: issue.message };
    const where = rest.length === 0 ? "" : `${formatPath(rest)}: `;
    return { template: origin.template, path: origin.path, message: `${where}${issue.message}` };
  });
}

/** Loads the templates into a world and returns it with the notes; throws TemplateError on any error. */
export function loadTemplatesIntoWorld(
  sources: TemplateSource | readonly TemplateSource[],
  options: WorldFromTemplatesOptions,
): TemplateWorld {
  const list = Array.isArray(sources) ? (sources as readonly TemplateSource[]) : [sources as TemplateSource];
  if (list.length === 0) {
    throw new TemplateError(
      [{ template: "(none)", path: [], message: "no template given" }],
      [],
      "Pass at least one *.template.json.",
    );
  }
  const templates = list.map((source) =>
    loadTemplate(source, { account: options.account, region: options.region }),
  );
  checkOptions(options, templates);

  const findings = new Findings();
  const draft = new WorldDraft(options.base?.region ?? options.region);
  const baseOriginals = new Map<object, object>();
  if (options.base !== undefined) {
    addBaseWorld(draft, options.base);
    const sections = Object.keys(draft.sections) as Section[];
    for (const section of sections) {
      const originals = (options.base as unknown as Record<string, object[] | undefined>)[section] ?? [];
      draft.sections[section].forEach((item, index) => {
        const original = originals[index];
        if (original !== undefined) baseOriginals.set(item, original);
      });
    }
  }

  const models: StackModel[] = [];
  const exports = exportDirectory(() => models);
  for (const template of templates) models.push(new StackModel(template, exports, options.parameters));

  const instanceProfiles = new Map<string, string>();
  const deferred: Deferred[] = [];
  for (const model of models) {
    if (!draft.hasAccount(model.account))
      draft.add("accounts", { id: model.account }, { template: model.label, path: [] });
    readStack(new ReadContext(model, draft, findings, instanceProfiles, deferred));
  }
  for (const work of deferred) work();
  addAwsManagedPolicies(draft, findings);
  addRoleProfiles(draft, (origin) => origin.template !== BASE_WORLD);

  if (findings.errors.length > 0) throw new TemplateError(findings.errors, findings.notes);

  const input = draft.toFile();
  const parsed = worldFileSchema.safeParse(input);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error.issues, input, worldFileSchema);
    throw new TemplateError(findingsOf(issues, draft), findings.notes);
  }
  const { world, issues } = resolveWorld(parsed.data);
  if (issues.length > 0) throw new TemplateError(findingsOf(issues, draft), findings.notes);

  // Keep whatever else the base world's entities carry (fields this loader does not know).
  const merged = { ...options.base, ...world } as World;
  for (const section of Object.keys(draft.sections) as Section[]) {
    const resolved = (merged as unknown as Record<string, object[] | undefined>)[section];
    if (resolved === undefined) continue;
    draft.sections[section].forEach((item, index) => {
      const original = baseOriginals.get(item);
      if (original !== undefined && resolved[index] !== undefined)
        resolved[index] = { ...original, ...resolved[index] };
    });
  }
  for (const note of findings.notes) options.onNote?.(note);
  return { world: merged, notes: findings.notes };
}

/**
 * The world the templates describe, on top of `options.base` (or an empty world of the account). Notes go
 * to `options.onNote`; errors throw TemplateError listing every problem with its template path.
 */
export function worldFromTemplates(
  sources: TemplateSource | readonly TemplateSource[],
  options: WorldFromTemplatesOptions,
): World {
  return loadTemplatesIntoWorld(sources, options).world;
}
