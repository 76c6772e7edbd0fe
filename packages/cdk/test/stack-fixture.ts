// A fresh stack in a fixed account and region for construct tests, and helpers to read its template.

import { App, Stack } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";

export const ACCOUNT = "111111111111";
export const REGION = "ap-northeast-1";

export function testStack(): Stack {
  const app = new App({ analyticsReporting: false });
  return new Stack(app, "TestStack", { env: { account: ACCOUNT, region: REGION } });
}

export interface PolicyStatementJson {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export function listOf<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Every statement of every policy document (managed, inline, AWS::IAM::Policy) in the template. */
export function identityStatements(template: Template): PolicyStatementJson[] {
  const statements: PolicyStatementJson[] = [];
  const add = (document: unknown) => {
    statements.push(...listOf((document as { Statement: PolicyStatementJson[] }).Statement));
  };
  for (const resource of Object.values(template.findResources("AWS::IAM::ManagedPolicy"))) {
    add(resource.Properties.PolicyDocument);
  }
  for (const resource of Object.values(template.findResources("AWS::IAM::Policy"))) {
    add(resource.Properties.PolicyDocument);
  }
  for (const type of ["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"]) {
    for (const resource of Object.values(template.findResources(type))) {
      for (const policy of resource.Properties?.Policies ?? []) add(policy.PolicyDocument);
    }
  }
  return statements;
}

export function statementBySid(statements: PolicyStatementJson[], sid: string): PolicyStatementJson {
  const found = statements.find((statement) => statement.Sid === sid);
  if (found === undefined)
    throw new Error(`no statement ${sid}; have ${statements.map((s) => s.Sid).join(", ")}`);
  return found;
}

/** Fn::Join ["", [...]] of plain strings and { Ref: AWS::Partition } read as the ARN text (partition "aws"). */
export function arnText(value: unknown): string {
  if (typeof value === "string") return value;
  const join = (value as { "Fn::Join"?: [string, unknown[]] })["Fn::Join"];
  if (join === undefined) return JSON.stringify(value);
  return join[1]
    .map((part) => {
      if (typeof part === "string") return part;
      if ((part as { Ref?: string }).Ref === "AWS::Partition") return "aws";
      return JSON.stringify(part);
    })
    .join(join[0]);
}

/** Logical ids each resource needs first (Ref, Fn::GetAtt, Fn::Sub names, DependsOn), and whether a cycle exists. */
export function dependencyCycle(templateJson: {
  Resources: Record<string, { DependsOn?: string | string[] }>;
}): string[] | undefined {
  const ids = new Set(Object.keys(templateJson.Resources));
  const edges = new Map<string, Set<string>>();
  const collect = (value: unknown, into: Set<string>) => {
    if (Array.isArray(value)) {
      for (const item of value) collect(item, into);
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        if (key === "Ref" && typeof item === "string" && ids.has(item)) into.add(item);
        else if (key === "Fn::GetAtt" && Array.isArray(item) && ids.has(item[0])) into.add(item[0]);
        else collect(item, into);
      }
    }
  };
  for (const [id, resource] of Object.entries(templateJson.Resources)) {
    const needs = new Set<string>(listOf(resource.DependsOn));
    collect(resource, needs);
    needs.delete(id);
    edges.set(id, needs);
  }
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "visiting") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "visiting");
    stack.push(id);
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    stack.pop();
    state.set(id, "done");
    return undefined;
  };
  for (const id of ids) {
    const cycle = visit(id);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}
