// Session documents a role may start sessions with, and their ARNs (AWS-owned documents have no account).

import { Stack } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/**
 * - `shell`: the account's `SSM-SessionManagerRunShell` (which also holds the session preferences);
 * - `port-forwarding`, `port-forwarding-to-remote-host`, `ssh`: AWS-owned documents;
 * - `{ customerDocument }`: a Session document of the account, by name.
 */
export type SessionDocument =
  | "shell"
  | "port-forwarding"
  | "port-forwarding-to-remote-host"
  | "ssh"
  | { customerDocument: string };

export const SHELL_DOCUMENT = "SSM-SessionManagerRunShell";

const AWS_OWNED: Record<Exclude<SessionDocument, "shell" | { customerDocument: string }>, string> = {
  "port-forwarding": "AWS-StartPortForwardingSession",
  "port-forwarding-to-remote-host": "AWS-StartPortForwardingSessionToRemoteHost",
  ssh: "AWS-StartSSHSession",
};

/** The document's name as StartSession takes it. */
export function sessionDocumentName(document: SessionDocument): string {
  if (typeof document === "object") return document.customerDocument;
  if (document === "shell") return SHELL_DOCUMENT;
  return AWS_OWNED[document];
}

/**
 * The document's ARN in the scope's region. AWS-owned documents live in no account
 * (`arn:aws:ssm:R::document/AWS-StartSSHSession`), which `arn:aws:ssm:R:A:document/*` never matches.
 */
export function sessionDocumentArn(scope: IConstruct, document: SessionDocument): string {
  const awsOwned = typeof document === "string" && document !== "shell";
  return Stack.of(scope).formatArn({
    service: "ssm",
    resource: "document",
    resourceName: sessionDocumentName(document),
    ...(awsOwned ? { account: "" } : {}),
  });
}
