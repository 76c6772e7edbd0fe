// Builds the environment of a child run by `exec` and the variables `export` prints (pure).
// The child gets fixed credentials and nothing that could make an SDK resolve a profile or another source.
import type { AwsCredentials } from "../../credentials/ports.js";

/** Credential and profile variables removed from the child: each would make an SDK look elsewhere. */
export const SHADOWING_VARIABLES = [
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_CREDENTIAL_FILE",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_ROLE_SESSION_NAME",
  // Ours: a passphrase given to tobira is not the child's business.
  "TOBIRA_VAULT_PASSPHRASE",
] as const;

/** Set in the child so a nested `tobira exec` can tell it would run inside another one. */
export const NESTING_VARIABLE = "TOBIRA_PROFILE";

export interface CredentialVariablesInput {
  credentials: AwsCredentials;
  region?: string;
  /** The profile's endpoint_url; announced as AWS_ENDPOINT_URL only when the profile has one. */
  endpointUrl?: string;
}

/** The variables of aws-facts.md "exec conventions", in a stable order. */
export function credentialVariables(input: CredentialVariablesInput): Array<[string, string]> {
  const { credentials, region, endpointUrl } = input;
  const out: Array<[string, string]> = [
    ["AWS_ACCESS_KEY_ID", credentials.accessKeyId],
    ["AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey],
  ];
  if (credentials.sessionToken !== undefined) out.push(["AWS_SESSION_TOKEN", credentials.sessionToken]);
  if (region !== undefined) {
    out.push(["AWS_REGION", region]);
    out.push(["AWS_DEFAULT_REGION", region]);
  }
  if (credentials.expiration !== undefined) out.push(["AWS_CREDENTIAL_EXPIRATION", credentials.expiration]);
  if (endpointUrl !== undefined) out.push(["AWS_ENDPOINT_URL", endpointUrl]);
  return out;
}

/** A child's environment: the parent's, without shadowing variables, plus `variables` and TOBIRA_PROFILE. */
export function childEnvironment(
  parent: NodeJS.ProcessEnv,
  variables: ReadonlyArray<readonly [string, string]>,
  profile: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const drop = new Set<string>(SHADOWING_VARIABLES);
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && !drop.has(name)) env[name] = value;
  }
  for (const [name, value] of variables) env[name] = value;
  env[NESTING_VARIABLE] = profile;
  return env;
}

/** The environment of `exec`'s child: fixed credentials, region and endpoint. */
export function execEnvironment(
  parent: NodeJS.ProcessEnv,
  input: CredentialVariablesInput & { profile: string },
): NodeJS.ProcessEnv {
  return childEnvironment(parent, credentialVariables(input), input.profile);
}
