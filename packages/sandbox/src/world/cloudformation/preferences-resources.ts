// Session Manager preferences carried by a template: the SSM-SessionManagerRunShell content written by a
// custom resource (@tobira/cdk's Custom::SessionManagerPreferences, or an AwsCustomResource calling
// UpdateDocument/CreateDocument), or an AWS::SSM::Document of that name.

import { parse as parseYaml } from "yaml";
import type { PathSegment } from "../issues.js";
import type { ReadContext } from "./read-context.js";
import { BASE_WORLD, type PreferencesInput } from "./world-draft.js";

export const SHELL_DOCUMENT = "SSM-SessionManagerRunShell";
export const PREFERENCES_RESOURCE_TYPE = "Custom::SessionManagerPreferences";

export function isCustomResource(type: string): boolean {
  return type.startsWith("Custom::") || type === "AWS::CloudFormation::CustomResource";
}

function parseContent(ctx: ReadContext, content: unknown, path: PathSegment[], format = "JSON"): unknown {
  if (typeof content !== "string") return content;
  try {
    return format.toUpperCase() === "YAML" ? parseYaml(content) : JSON.parse(content);
  } catch (error) {
    ctx.report("error", path, `the document content is not ${format}: ${(error as Error).message}`);
    return undefined;
  }
}

/** The preferences inputs as the world keeps them; wrong types are errors (the schema would refuse them). */
function preferencesFrom(
  ctx: ReadContext,
  content: unknown,
  path: PathSegment[],
): PreferencesInput | undefined {
  if (content === null || typeof content !== "object") {
    ctx.report("error", path, "the preferences document content is not a mapping");
    return undefined;
  }
  const { sessionType, inputs } = content as { sessionType?: unknown; inputs?: unknown };
  if (sessionType !== "Standard_Stream") {
    ctx.report(
      "error",
      path,
      `sessionType is ${JSON.stringify(sessionType)}; ${SHELL_DOCUMENT} is a Standard_Stream document`,
    );
    return undefined;
  }
  const given = (inputs ?? {}) as Record<string, unknown>;
  const at = [...path, "inputs"];
  const text = (key: string): string | undefined => {
    const value = given[key];
    if (value === undefined || typeof value === "string") return value;
    const hint = typeof value === "number" ? ` (write "${value}": the schema wants minutes as a string)` : "";
    ctx.report("error", [...at, key], `${key} must be a string${hint}`);
    return undefined;
  };
  const flag = (key: string): boolean | undefined => {
    const value = given[key];
    if (value === undefined || typeof value === "boolean") return value;
    ctx.report(
      "error",
      [...at, key],
      `${key} must be true or false (a JSON boolean, not ${JSON.stringify(value)})`,
    );
    return undefined;
  };
  const preferences: PreferencesInput = { account: ctx.account, region: ctx.model.region };
  const kmsKeyId = text("kmsKeyId");
  if (kmsKeyId !== undefined) preferences.kmsKeyId = kmsKeyId;
  const runAsEnabled = flag("runAsEnabled");
  if (runAsEnabled !== undefined) preferences.runAsEnabled = runAsEnabled;
  const runAsDefaultUser = text("runAsDefaultUser");
  if (runAsDefaultUser !== undefined) preferences.runAsDefaultUser = runAsDefaultUser;
  const idle = text("idleSessionTimeout");
  if (idle !== undefined && idle !== "") preferences.idleSessionTimeout = idle;
  const max = text("maxSessionDuration");
  if (max !== undefined) preferences.maxSessionDuration = max;
  const profile = given.shellProfile as { linux?: unknown; windows?: unknown } | undefined;
  if (profile !== undefined) {
    const linux = typeof profile.linux === "string" ? profile.linux : "";
    const windows = typeof profile.windows === "string" ? profile.windows : "";
    preferences.shellProfile = { linux, windows };
  }
  for (const key of ["s3BucketName", "cloudWatchLogGroupName"]) {
    if (typeof given[key] === "string" && given[key] !== "") {
      ctx.report("note", [...at, key], "session logging is not modelled; sessions are not recorded");
    }
  }
  return preferences;
}

function addPreferences(ctx: ReadContext, logicalId: string, preferences: PreferencesInput): void {
  // The template's document replaces the base world's for that account and region, as UpdateDocument would.
  const existing = ctx.draft.sections.sessionPreferences.find(
    (candidate) =>
      candidate.account === preferences.account &&
      (candidate.region ?? ctx.draft.region) === preferences.region,
  );
  if (existing !== undefined) {
    const index = ctx.draft.sections.sessionPreferences.indexOf(existing);
    if (ctx.draft.origins.sessionPreferences[index]?.template === BASE_WORLD) {
      ctx.draft.remove("sessionPreferences", existing);
      ctx.report(
        "note",
        ["Resources", logicalId],
        `replaces the base world's preferences for ${preferences.account}/${preferences.region}`,
      );
    }
  }
  ctx.draft.add("sessionPreferences", preferences, ctx.origin(logicalId));
}

/** @tobira/cdk's resource, or any custom resource given DocumentName + Content for the shell document. */
function readPreferencesResource(ctx: ReadContext, logicalId: string): boolean {
  const properties = ctx.model.template.body.Resources[logicalId]?.Properties ?? {};
  const type = ctx.model.template.body.Resources[logicalId]!.Type;
  if (type !== PREFERENCES_RESOURCE_TYPE && properties.DocumentName !== SHELL_DOCUMENT) return false;
  const name = ctx.stringProperty(logicalId, "DocumentName", "error");
  if (name !== undefined && name !== SHELL_DOCUMENT) {
    ctx.report(
      "error",
      ctx.propertyPath(logicalId, "DocumentName"),
      `expected ${SHELL_DOCUMENT}, got "${name}"`,
    );
    return true;
  }
  const path = ctx.propertyPath(logicalId, "Content");
  const content = ctx.property(logicalId, "Content", "error");
  if (content === undefined) {
    if (!ctx.has(logicalId, "Content")) ctx.report("error", path, "the preferences resource has no Content");
    return true;
  }
  const preferences = preferencesFrom(ctx, parseContent(ctx, content, path), path);
  if (preferences !== undefined) addPreferences(ctx, logicalId, preferences);
  return true;
}

/** An AwsCustomResource (Custom::AWS) whose Update (else Create) call writes the shell document. */
function readAwsCustomResource(ctx: ReadContext, logicalId: string): boolean {
  for (const property of ["Update", "Create"]) {
    if (!ctx.has(logicalId, property)) continue;
    const call = ctx.stringProperty(logicalId, property, "note");
    if (call === undefined) return false;
    let parsed: { service?: unknown; action?: unknown; parameters?: { Name?: unknown; Content?: unknown } };
    try {
      parsed = JSON.parse(call);
    } catch {
      return false;
    }
    const isSsm = typeof parsed.service === "string" && /^(@aws-sdk\/client-)?ssm$/i.test(parsed.service);
    const writes =
      typeof parsed.action === "string" && /^(update|create)document(command)?$/i.test(parsed.action);
    if (!isSsm || !writes || parsed.parameters?.Name !== SHELL_DOCUMENT) return false;
    const path = ctx.propertyPath(logicalId, property);
    const preferences = preferencesFrom(ctx, parseContent(ctx, parsed.parameters.Content, path), path);
    if (preferences !== undefined) addPreferences(ctx, logicalId, preferences);
    return true;
  }
  return false;
}

/** Custom resources: true when this one carried the preferences (else the caller notes it as skipped). */
export function readCustomResource(ctx: ReadContext, logicalId: string): boolean {
  return readPreferencesResource(ctx, logicalId) || readAwsCustomResource(ctx, logicalId);
}

/** AWS::SSM::Document: the preferences when named so; other documents are not modelled. */
export function readSsmDocument(ctx: ReadContext, logicalId: string): boolean {
  const name = ctx.stringProperty(logicalId, "Name", "note");
  if (name !== SHELL_DOCUMENT) return false;
  ctx.report(
    "note",
    ["Resources", logicalId],
    `creating ${SHELL_DOCUMENT} with AWS::SSM::Document fails ("already exists") where preferences were ever saved; a custom resource that updates it is safer`,
  );
  const format = ctx.stringProperty(logicalId, "DocumentFormat", "note") ?? "JSON";
  const path = ctx.propertyPath(logicalId, "Content");
  const content = ctx.property(logicalId, "Content", "error");
  if (content === undefined) return true;
  const preferences = preferencesFrom(ctx, parseContent(ctx, content, path, format), path);
  if (preferences !== undefined) addPreferences(ctx, logicalId, preferences);
  return true;
}
