// Reading synthesized templates: from a file or an object, checked to be a CloudFormation template, with the
// stack name, account and region each one is deployed with.

import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { TemplateError } from "./findings.js";

/** A template file path, or an in-memory template with what a file name would have told. */
export type TemplateSource =
  | string
  | {
      /** The parsed template (e.g. `Template.fromStack(stack).toJSON()` or `JSON.parse` of a file). */
      template: unknown;
      /** Default: the label, else "Stack". */
      stackName?: string;
      /** Names the template in findings. Default: the stack name. */
      label?: string;
      /** Override the options' account and region for this template. */
      account?: string;
      region?: string;
    };

export interface TemplateBody {
  Resources: Record<string, TemplateResource>;
  Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
}

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
}

export interface LoadedTemplate {
  label: string;
  stackName: string;
  account: string;
  region: string;
  body: TemplateBody;
}

/** Synthesized templates are at most 1 MB when deployed (through S3); a larger file is a mistake. */
export const MAX_TEMPLATE_BYTES = 4 * 1024 * 1024;

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

function fail(label: string, message: string, hint?: string): never {
  throw new TemplateError([{ template: label, path: [], message }], [], hint);
}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_TEMPLATE_BYTES)
      fail(path, `is ${size} bytes; a template is at most ${MAX_TEMPLATE_BYTES}`);
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a folder" : `cannot be read (${code})`;
    fail(
      path,
      `the file ${why}`,
      "Synthesize the app first (it writes cdk.out/STACK.template.json) and pass that file.",
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(
      path,
      `is not JSON (${(error as Error).message})`,
      "Pass the synthesized *.template.json; YAML templates are not read.",
    );
  }
}

function checkBody(label: string, body: unknown): TemplateBody {
  if (body === null || typeof body !== "object" || Array.isArray(body)) fail(label, "is not a JSON object");
  const resources = (body as { Resources?: unknown }).Resources;
  if (resources === null || typeof resources !== "object" || Array.isArray(resources)) {
    fail(label, 'has no "Resources" mapping; is it a CloudFormation template?');
  }
  for (const [id, resource] of Object.entries(resources as Record<string, unknown>)) {
    const type = (resource as { Type?: unknown } | null)?.Type;
    if (typeof type !== "string") {
      throw new TemplateError([
        { template: label, path: ["Resources", id, "Type"], message: "a resource needs a Type" },
      ]);
    }
  }
  return body as TemplateBody;
}

export function loadTemplate(
  source: TemplateSource,
  defaults: { account: string; region: string },
): LoadedTemplate {
  if (typeof source === "string") {
    const name = basename(source).replace(/\.template\.json$|\.json$/, "");
    const stackName = STACK_NAME.test(name) ? name : "Stack";
    return { label: source, stackName, ...defaults, body: checkBody(source, readJsonFile(source)) };
  }
  const stackName = source.stackName ?? source.label ?? "Stack";
  const label = source.label ?? stackName;
  if (!STACK_NAME.test(stackName)) {
    fail(
      label,
      `"${stackName}" is not a stack name`,
      "A stack name starts with a letter and has letters, digits and hyphens.",
    );
  }
  return {
    label,
    stackName,
    account: source.account ?? defaults.account,
    region: source.region ?? defaults.region,
    body: checkBody(label, source.template),
  };
}
