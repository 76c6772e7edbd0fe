// Turns an AWS SDK error into an AwsCallError in AWS's words ("An error occurred (Code) when calling the Op
// operation: …", as the AWS CLI prints it) plus a hint for the codes a session command meets.
import { AwsCallError } from "./session-errors.js";

export interface AwsErrorFacts {
  code: string;
  message: string;
}

/** The code and message of an SDK v3 service exception (or of anything thrown, as best as can be told). */
export function awsErrorFacts(error: unknown): AwsErrorFacts {
  if (error instanceof Error) {
    const code = (error as { Code?: unknown }).Code;
    return { code: typeof code === "string" ? code : error.name, message: error.message };
  }
  return { code: "Error", message: String(error) };
}

export interface AwsErrorContext {
  profile: string;
  target?: string;
}

// What the network says when no AWS answer came at all: these are no AWS error codes, and saying them as
// "An error occurred (Error)" would send the reader to look for a permission that is not the matter.
const NETWORK_HINTS: Record<string, string> = {
  ECONNREFUSED:
    "nothing answers at the endpoint: check endpoint_url in the profile (against the sandbox: is `tobira sandbox up` running, on the port the config names?)",
  ENOTFOUND:
    "the endpoint's host name does not resolve: check the profile's region and endpoint_url, and DNS",
  EAI_AGAIN:
    "the endpoint's host name could not be resolved just now: check DNS and the network, then try again",
  ECONNRESET: "the connection was cut before AWS answered: check proxies and the network, then try again",
  ETIMEDOUT: "the endpoint did not answer in time: check the network, proxies and the profile's endpoint_url",
  EHOSTUNREACH: "no route to the endpoint: check the network and the profile's endpoint_url",
};

function networkCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && code in NETWORK_HINTS ? code : undefined;
}

export function awsCallError(error: unknown, operation: string, context: AwsErrorContext): AwsCallError {
  if (error instanceof AwsCallError) return error;
  const network = networkCode(error);
  if (network !== undefined) {
    const reason = error instanceof Error && error.message ? error.message : network;
    return new AwsCallError(`${operation} got no answer from AWS: ${reason}`, network, {
      hint: NETWORK_HINTS[network]!,
      cause: error,
    });
  }
  const { code, message } = awsErrorFacts(error);
  const hint = hintFor(code, operation, context);
  return new AwsCallError(
    `An error occurred (${code}) when calling the ${operation} operation: ${message}`,
    code,
    {
      ...(hint === undefined ? {} : { hint }),
      cause: error,
    },
  );
}

function hintFor(code: string, operation: string, { profile, target }: AwsErrorContext): string | undefined {
  const what = target ?? "the target";
  switch (code) {
    case "AccessDeniedException":
    case "AccessDenied":
    case "UnauthorizedOperation":
      if (operation === "StartSession")
        return `profile '${profile}' may not open sessions on ${what}: its role needs ssm:StartSession on the instance (with tag-based access, the instance's Project tag must equal the role's) and on the session document; use the profile of ${what}'s project or ask for access`;
      if (operation === "DescribeInstances")
        return `profile '${profile}' may not list EC2 instances: name the target by its instance id (i-…), or add ec2:DescribeInstances to the role`;
      if (operation === "DescribeInstanceInformation")
        return `profile '${profile}' may not list managed nodes: add ssm:DescribeInstanceInformation to the role`;
      if (operation === "TerminateSession" || operation === "ResumeSession")
        return "a role may end or resume only its own sessions (the session-id tag must equal the caller's aws:userid)";
      return `check the permissions of profile '${profile}' for ${operation}`;
    case "TargetNotConnected":
      return `${what}'s SSM agent is not connected: start the instance, check that it has an instance profile with AmazonSSMManagedInstanceCore, and that it can reach the SSM endpoints; \`tobira targets --profile ${profile}\` shows its ping status`;
    case "InvalidDocument":
      return "check the --document name (e.g. SSM-SessionManagerRunShell, AWS-StartInteractiveCommand)";
    case "InvalidParameters":
      return "the document's parameters did not match what it declares";
    case "ExpiredTokenException":
    case "ExpiredToken":
    case "UnrecognizedClientException":
    case "InvalidClientTokenId":
    case "InvalidSignatureException":
    case "SignatureDoesNotMatch":
      return `the cached credentials of '${profile}' are no longer accepted: run \`tobira clear ${profile}\` and try again`;
    case "InvalidInstanceId":
    case "InvalidInstanceID.NotFound":
    case "InvalidInstanceID.Malformed":
      return `${what} does not exist in this account and region: \`tobira targets --profile ${profile}\` lists what does`;
    default:
      return undefined;
  }
}
