// Reads and checks the control plane's JSON inputs, failing as AWS does with a ValidationException.

import { AwsServiceError } from "../protocol/errors.js";

export function validation(message: string): AwsServiceError {
  return new AwsServiceError("ValidationException", message, 400);
}

export function notFound(): AwsServiceError {
  return new AwsServiceError("ResourceNotFoundException", "Resource not found.", 404);
}

const NAME = /^[ a-zA-Z0-9-_.]{1,255}$/;

export function nameOf(body: Record<string, unknown>): string {
  const name = body.name;
  if (typeof name !== "string" || !NAME.test(name)) {
    throw validation("name: must be 1 to 255 characters of letters, digits, spaces and _ . -");
  }
  return name;
}

export function optionalBoolean(body: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = body[key];
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw validation(`${key}: must be a boolean`);
  return value;
}

export function stringList(body: Record<string, unknown>, key: string): string[] {
  const value = body[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw validation(`${key}: must be a list of strings`);
  }
  return value as string[];
}

export function durationOf(body: Record<string, unknown>): number {
  const value = body.durationSeconds ?? 3600;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 900 || value > 43200) {
    throw validation("durationSeconds: must be a whole number from 900 to 43200");
  }
  return value;
}

/** source.sourceData.x509CertificateData of a CERTIFICATE_BUNDLE trust anchor. */
export function bundleOf(body: Record<string, unknown>): string {
  const source = body.source as
    | { sourceType?: unknown; sourceData?: { x509CertificateData?: unknown } }
    | undefined;
  if (source?.sourceType !== "CERTIFICATE_BUNDLE") {
    throw validation("source.sourceType: the sandbox serves CERTIFICATE_BUNDLE trust anchors only");
  }
  const data = source.sourceData?.x509CertificateData;
  if (typeof data !== "string" || data.length === 0) {
    throw validation("source.sourceData.x509CertificateData: a PEM CA certificate bundle is required");
  }
  return data;
}
