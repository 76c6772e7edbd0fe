// The Session documents Session Manager offers: the AWS-owned ones (port forwarding, SSH, interactive and
// non-interactive commands) and the account's SSM-SessionManagerRunShell, whose `inputs` are the world's
// session preferences. Also their ARNs as IAM sees them and the check of StartSession's Parameters.

import type { SessionPreferences, World } from "../../world/model.js";
import { preferenceSettings } from "../../world/preference-settings.js";

export const DEFAULT_SESSION_DOCUMENT = "SSM-SessionManagerRunShell";

export type SessionType = "Standard_Stream" | "InteractiveCommands" | "NonInteractiveCommands" | "Port";

export interface DocumentParameter {
  type: "String";
  description: string;
  default?: string;
  allowedPattern?: string;
}

export interface SessionDocument {
  name: string;
  /** "Amazon" for AWS-owned documents, else the owning account. */
  owner: string;
  description: string;
  sessionType: SessionType;
  parameters: Record<string, DocumentParameter>;
  /** The document's JSON content as GetDocument returns it. */
  content: Record<string, unknown>;
}

const PORT_PATTERN =
  "^([1-9]|[1-9][0-9]{1,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$";
const LOCAL_PORT_PATTERN =
  "^([0-9]|[1-9][0-9]{1,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$";
/** A host name or address, without shell metacharacters. */
const HOST_PATTERN = "^[A-Za-z0-9._:-]{1,253}$";

const remotePort = (fallback: string): DocumentParameter => ({
  type: "String",
  description: `(Optional) The port on the node (or remote host) to connect to. Default ${fallback}.`,
  default: fallback,
  allowedPattern: PORT_PATTERN,
});
const localPort: DocumentParameter = {
  type: "String",
  description: "(Optional) The local port to listen on; 0 picks a free port when the session starts.",
  default: "0",
  allowedPattern: LOCAL_PORT_PATTERN,
};
const command: DocumentParameter = {
  type: "String",
  description: "(Required) The command to run on the node.",
};

/** Builds a document's content from its parts, in the Session document schema 1.0 layout. */
function content(
  description: string,
  sessionType: SessionType,
  parameters: Record<string, DocumentParameter>,
  properties: Record<string, unknown>,
): Record<string, unknown> {
  const params = Object.fromEntries(
    Object.entries(parameters).map(([name, p]) => [
      name,
      {
        type: p.type,
        description: p.description,
        ...(p.allowedPattern ? { allowedPattern: p.allowedPattern } : {}),
        ...(p.default !== undefined ? { default: p.default } : {}),
      },
    ]),
  );
  return { schemaVersion: "1.0", description, sessionType, parameters: params, properties };
}

function awsDocument(
  name: string,
  description: string,
  sessionType: SessionType,
  parameters: Record<string, DocumentParameter>,
  properties: Record<string, unknown>,
): SessionDocument {
  return {
    name,
    owner: "Amazon",
    description,
    sessionType,
    parameters,
    content: content(description, sessionType, parameters, properties),
  };
}

const shellCommand = (extra: Record<string, unknown> = {}) => ({
  linux: { commands: "{{ command }}", runAsElevated: false, ...extra },
  windows: { commands: "{{ command }}", runAsElevated: false, ...extra },
});

export const AWS_SESSION_DOCUMENTS: readonly SessionDocument[] = [
  awsDocument(
    "AWS-StartPortForwardingSession",
    "Forwards a local port to a port on the managed node.",
    "Port",
    { portNumber: remotePort("80"), localPortNumber: localPort },
    { portNumber: "{{ portNumber }}", type: "LocalPortForwarding", localPortNumber: "{{ localPortNumber }}" },
  ),
  awsDocument(
    "AWS-StartPortForwardingSessionToRemoteHost",
    "Forwards a local port to a host the managed node can reach.",
    "Port",
    {
      host: {
        type: "String",
        description: "(Required) The DNS name or IP address of the remote host.",
        allowedPattern: HOST_PATTERN,
      },
      portNumber: remotePort("80"),
      localPortNumber: localPort,
    },
    {
      host: "{{ host }}",
      portNumber: "{{ portNumber }}",
      type: "LocalPortForwarding",
      localPortNumber: "{{ localPortNumber }}",
    },
  ),
  awsDocument(
    "AWS-StartSSHSession",
    "Carries an SSH connection to the managed node over the session's stream.",
    "Port",
    { portNumber: remotePort("22") },
    { portNumber: "{{ portNumber }}" },
  ),
  awsDocument(
    "AWS-StartInteractiveCommand",
    "Runs one interactive command in a terminal on the managed node.",
    "InteractiveCommands",
    { command },
    shellCommand(),
  ),
  awsDocument(
    "AWS-StartNonInteractiveCommand",
    "Runs one command on the managed node without a terminal; its output and exit code come back.",
    "NonInteractiveCommands",
    { command },
    shellCommand({ separateOutputStream: true, stdOutSeparatorPrefix: "", stdErrSeparatorPrefix: "" }),
  ),
];

/** The default settings when an account never saved preferences in a Region. */
export function defaultPreferences(account: string, region: string): SessionPreferences {
  return {
    account,
    region,
    kmsKeyId: "",
    runAsEnabled: false,
    runAsDefaultUser: "",
    idleSessionTimeout: "20",
    maxSessionDuration: "",
    shellProfile: { linux: "", windows: "" },
  };
}

/** The account's saved preferences in the Region, if it has any. */
export function savedPreferences(
  world: World,
  account: string,
  region: string,
): SessionPreferences | undefined {
  return world.sessionPreferences.find((p) => p.account === account && p.region === region);
}

/** SSM-SessionManagerRunShell as the preferences make it. */
export function preferencesDocument(preferences: SessionPreferences): SessionDocument {
  const description = "Document to hold regional settings for Session Manager";
  return {
    name: DEFAULT_SESSION_DOCUMENT,
    owner: preferences.account,
    description,
    sessionType: "Standard_Stream",
    parameters: {},
    content: {
      schemaVersion: "1.0",
      description,
      sessionType: "Standard_Stream",
      inputs: {
        s3BucketName: "",
        s3KeyPrefix: "",
        s3EncryptionEnabled: true,
        cloudWatchLogGroupName: "",
        cloudWatchEncryptionEnabled: true,
        cloudWatchStreamingEnabled: false,
        ...preferenceSettings(preferences),
      },
    },
  };
}

/** A document name as given, or the name inside a document ARN. */
export function documentNameOf(nameOrArn: string): string {
  const match = /^arn:aws:ssm:[a-z0-9-]*:\d{0,12}:document\/(.+)$/.exec(nameOrArn);
  return match ? match[1]! : nameOrArn;
}

/** AWS-owned documents live in no account: `arn:aws:ssm:R::document/AWS-…`. */
export function documentArn(name: string, region: string, account: string): string {
  const owner = name.startsWith("AWS-") ? "" : account;
  return `arn:aws:ssm:${region}:${owner}:document/${name}`;
}

/**
 * The Session document by name in the account and Region: an AWS one, or SSM-SessionManagerRunShell. For
 * StartSession the default document always exists (default preferences); for GetDocument only once saved.
 */
export function findSessionDocument(
  world: World,
  name: string,
  account: string,
  region: string,
  options: { defaultsCount: boolean },
): SessionDocument | undefined {
  if (name === DEFAULT_SESSION_DOCUMENT) {
    const saved = savedPreferences(world, account, region);
    if (saved) return preferencesDocument(saved);
    return options.defaultsCount ? preferencesDocument(defaultPreferences(account, region)) : undefined;
  }
  return AWS_SESSION_DOCUMENTS.find((d) => d.name === name);
}

/** StartSession's Parameters against the document: known names, one value each, allowed patterns. */
export function resolveParameters(
  document: SessionDocument,
  given: Record<string, string[]>,
): { values: Record<string, string>; problems: string[] } {
  const problems: string[] = [];
  const values: Record<string, string> = {};
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(document.parameters, name)) {
      problems.push(`Parameter "${name}" is not defined in document ${document.name}.`);
    }
  }
  for (const [name, parameter] of Object.entries(document.parameters)) {
    const list = Object.hasOwn(given, name) ? given[name] : undefined;
    if (list !== undefined && list.length !== 1) {
      problems.push(`Parameter "${name}" takes exactly one value; ${list.length} given.`);
      continue;
    }
    const value = list?.[0] ?? parameter.default;
    if (value === undefined) {
      problems.push(`Parameter "${name}" is required by document ${document.name}.`);
      continue;
    }
    if (parameter.allowedPattern && !new RegExp(parameter.allowedPattern).test(value)) {
      problems.push(
        `Parameter "${name}" value "${value}" does not match the allowed pattern ${parameter.allowedPattern}.`,
      );
      continue;
    }
    values[name] = value;
  }
  return { values, problems };
}

/** A Session document as one session uses it (what the session's record keeps of it). */
export interface DocumentInUse {
  documentName: string;
  sessionType: SessionType;
  /** Parameters after defaults, one value each. */
  parameters: Record<string, string>;
  /** The document's properties with the parameters filled in (port, host, commands, …). */
  properties: Record<string, unknown>;
}

/** The document with the parameter values `resolveParameters` accepted. */
export function documentInUse(document: SessionDocument, values: Record<string, string>): DocumentInUse {
  return {
    documentName: document.name,
    sessionType: document.sessionType,
    parameters: values,
    properties: resolvedProperties(document, values),
  };
}

/** The document's `properties` with `{{ name }}` replaced by the parameter values. */
export function resolvedProperties(
  document: SessionDocument,
  values: Record<string, string>,
): Record<string, unknown> {
  const substitute = (value: unknown): unknown => {
    if (typeof value === "string") {
      return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
    }
    if (Array.isArray(value)) return value.map(substitute);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
    }
    return value;
  };
  const properties = document.content.properties;
  return properties === undefined ? {} : (substitute(properties) as Record<string, unknown>);
}
