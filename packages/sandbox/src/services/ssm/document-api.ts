// GetDocument and DescribeDocument for the Session documents: the AWS-owned ones and the account's
// SSM-SessionManagerRunShell (its preferences), in JSON or YAML.

import { createHash } from "node:crypto";
import { stringify as toYaml } from "yaml";
import { AwsServiceError } from "../../protocol/errors.js";
import type { ServiceCall } from "../../server/runtime.js";
import { JsonInput } from "./json-input.js";
import {
  documentArn,
  documentNameOf,
  findSessionDocument,
  type SessionDocument,
} from "./session-documents.js";
import { authorizeSsm } from "./ssm-authorize.js";

/** Every Session document here has one version, created when the world began. */
const CREATED_EPOCH_SECONDS = Date.parse("2024-04-01T00:00:00Z") / 1000;
const VERSION = "1";

function readDocument(call: ServiceCall, body: Record<string, unknown>, action: string) {
  const input = new JsonInput(body);
  const nameOrArn = input.string("Name", { required: true, min: 1, max: 200 })!;
  const version = input.string("DocumentVersion", { pattern: /^([$]LATEST|[$]DEFAULT|[1-9][0-9]*)$/ });
  input.string("VersionName", { max: 128 });
  const format = input.string("DocumentFormat", { oneOf: ["YAML", "JSON", "TEXT"] });
  input.done();
  const name = documentNameOf(nameOrArn);
  const { runtime, caller, region } = call;
  authorizeSsm(call, { action, resource: documentArn(name, region, caller.account) });
  const document = findSessionDocument(runtime.world, name, caller.account, region, { defaultsCount: false });
  if (!document)
    throw new AwsServiceError("InvalidDocument", `Document with name ${name} does not exist.`, 400);
  if (version !== undefined && !["$LATEST", "$DEFAULT", VERSION].includes(version)) {
    throw new AwsServiceError("InvalidDocumentVersion", `Document ${name} has no version ${version}.`, 400);
  }
  return { document, format: format ?? "JSON" };
}

function contentText(document: SessionDocument, format: string): string {
  return format === "YAML" ? toYaml(document.content) : JSON.stringify(document.content, null, 2);
}

export function getDocument(call: ServiceCall, body: Record<string, unknown>) {
  const { document, format } = readDocument(call, body, "ssm:GetDocument");
  return {
    Name: document.name,
    CreatedDate: CREATED_EPOCH_SECONDS,
    DocumentVersion: VERSION,
    Status: "Active",
    Content: contentText(document, format === "TEXT" ? "JSON" : format),
    DocumentType: "Session",
    DocumentFormat: format === "TEXT" ? "JSON" : format,
  };
}

export function describeDocument(call: ServiceCall, body: Record<string, unknown>) {
  const { document } = readDocument(call, body, "ssm:DescribeDocument");
  const json = JSON.stringify(document.content, null, 2);
  return {
    Document: {
      Hash: createHash("sha256").update(json).digest("hex"),
      HashType: "Sha256",
      Name: document.name,
      Owner: document.owner,
      CreatedDate: CREATED_EPOCH_SECONDS,
      Status: "Active",
      DocumentVersion: VERSION,
      Description: document.description,
      Parameters: Object.entries(document.parameters).map(([name, p]) => ({
        Name: name,
        Type: p.type,
        Description: p.description,
        DefaultValue: p.default,
      })),
      PlatformTypes: ["Windows", "Linux", "MacOS"],
      DocumentType: "Session",
      SchemaVersion: "1.0",
      LatestVersion: VERSION,
      DefaultVersion: VERSION,
      DocumentFormat: "JSON",
      Tags: [],
    },
  };
}
