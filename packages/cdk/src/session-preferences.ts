// Session Manager preferences: the account's SSM-SessionManagerRunShell document (KMS key, Run As, timeouts,
// shell profile, logging), written by a custom resource that updates the document when it already exists.

import { CustomResource, type Duration, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import { ConstructPropsError } from "./construct-error.js";
import { PREFERENCES_HANDLER_SOURCE } from "./preferences-handler-source.js";
import { SHELL_DOCUMENT } from "./session-documents.js";

/** The custom resource type the template carries; the sandbox's template loader recognizes it. */
export const PREFERENCES_RESOURCE_TYPE = "Custom::SessionManagerPreferences";

export interface SessionLogging {
  readonly s3BucketName?: string;
  readonly s3KeyPrefix?: string;
  /** Default true. */
  readonly s3EncryptionEnabled?: boolean;
  readonly cloudWatchLogGroupName?: string;
  /** Default true. */
  readonly cloudWatchEncryptionEnabled?: boolean;
  /** true: stream continuously; false: upload at session end. Default true. */
  readonly cloudWatchStreamingEnabled?: boolean;
}

export interface SessionPreferencesProps {
  /** Encrypt session data with this key (users need kms:GenerateDataKey, nodes kms:Decrypt). */
  readonly kmsKey?: kms.IKey;
  /**
   * Run sessions as the principal's `SSMSessionRunAs` tag, else as this default user. Leaving it out keeps
   * Run As off (sessions run as ssm-user).
   */
  readonly runAsDefaultUser?: string;
  /** 1 to 60 minutes. Default 20. */
  readonly idleSessionTimeout?: Duration;
  /** 1 to 1440 minutes. Default: no limit. */
  readonly maxSessionDuration?: Duration;
  readonly shellProfile?: { readonly linux?: string; readonly windows?: string };
  readonly logging?: SessionLogging;
}

/** The document content the schema wants: numbers of minutes as strings, flags as JSON booleans. */
export interface PreferencesContent {
  schemaVersion: "1.0";
  description: string;
  sessionType: "Standard_Stream";
  inputs: Record<string, string | boolean | { linux: string; windows: string }>;
}

export class SessionPreferences extends Construct {
  readonly resource: CustomResource;
  readonly content: PreferencesContent;

  constructor(scope: Construct, id: string, props: SessionPreferencesProps = {}) {
    super(scope, id);
    this.content = preferencesContent(props);
    const stack = Stack.of(this);
    const documentArn = stack.formatArn({
      service: "ssm",
      resource: "document",
      resourceName: SHELL_DOCUMENT,
    });

    const handler = new lambda.Function(this, "Handler", {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: "index.handler",
      code: lambda.Code.fromInline(PREFERENCES_HANDLER_SOURCE),
      description: `Writes the ${SHELL_DOCUMENT} session preferences`,
    });
    handler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          "ssm:CreateDocument",
          "ssm:DescribeDocument",
          "ssm:UpdateDocument",
          "ssm:UpdateDocumentDefaultVersion",
        ],
        resources: [documentArn],
      }),
    );
    this.resource = new CustomResource(this, "Resource", {
      serviceToken: handler.functionArn,
      resourceType: PREFERENCES_RESOURCE_TYPE,
      properties: { DocumentName: SHELL_DOCUMENT, Content: stack.toJsonString(this.content) },
    });
  }
}

function minutes(what: string, value: Duration | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const count = value.toMinutes({ integral: false });
  if (!Number.isInteger(count) || count < 1 || count > max) {
    throw new ConstructPropsError(
      `${what} is ${value.toHumanString()}.`,
      `Give whole minutes from 1 to ${max}.`,
    );
  }
  return String(count);
}

export function preferencesContent(props: SessionPreferencesProps): PreferencesContent {
  const runAs = props.runAsDefaultUser;
  if (runAs !== undefined && (!/^[a-z_][a-z0-9_.-]{0,31}$/i.test(runAs) || runAs === "root")) {
    throw new ConstructPropsError(
      `runAsDefaultUser "${runAs}" is not a user Session Manager can run as.`,
      "Give an existing non-root OS user name such as ec2-user.",
    );
  }
  const logging = props.logging ?? {};
  const inputs: PreferencesContent["inputs"] = {
    s3BucketName: logging.s3BucketName ?? "",
    s3KeyPrefix: logging.s3KeyPrefix ?? "",
    s3EncryptionEnabled: logging.s3EncryptionEnabled ?? true,
    cloudWatchLogGroupName: logging.cloudWatchLogGroupName ?? "",
    cloudWatchEncryptionEnabled: logging.cloudWatchEncryptionEnabled ?? true,
    cloudWatchStreamingEnabled: logging.cloudWatchStreamingEnabled ?? true,
    kmsKeyId: props.kmsKey?.keyArn ?? "",
    runAsEnabled: runAs !== undefined,
    runAsDefaultUser: runAs ?? "",
    idleSessionTimeout: minutes("idleSessionTimeout", props.idleSessionTimeout, 60) ?? "20",
    maxSessionDuration: minutes("maxSessionDuration", props.maxSessionDuration, 1440) ?? "",
    shellProfile: { linux: props.shellProfile?.linux ?? "", windows: props.shellProfile?.windows ?? "" },
  };
  return {
    schemaVersion: "1.0",
    description: "Session Manager preferences (managed by @tobira/cdk)",
    sessionType: "Standard_Stream",
    inputs,
  };
}
