// The URLs of a console sign-in (pure): the federation endpoint, the console destination, and the login URL.
// Partition-aware as AWS's hosts are: China and GovCloud regions have their own sign-in and console hosts.

export const DEFAULT_ISSUER = "tobira";

function partitionOf(region: string | undefined): "aws" | "aws-cn" | "aws-us-gov" {
  if (region?.startsWith("cn-")) return "aws-cn";
  if (region?.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** `<endpoint_url>/federation` when the profile names an endpoint (the sandbox), else AWS's sign-in host. */
export function federationEndpoint(endpointUrl: string | undefined, region: string | undefined): string {
  if (endpointUrl !== undefined) return `${endpointUrl.replace(/\/+$/, "")}/federation`;
  switch (partitionOf(region)) {
    case "aws-cn":
      return "https://signin.amazonaws.cn/federation";
    case "aws-us-gov":
      return "https://signin.amazonaws-us-gov.com/federation";
    default:
      return "https://signin.aws.amazon.com/federation";
  }
}

/**
 * The console page to land on: `--path ec2` → https://console.aws.amazon.com/ec2/home?region=R (a path with
 * its own query or a deeper path is kept as given, with region added when it has none).
 */
export function consoleDestination(path: string | undefined, region: string | undefined): string {
  const host = {
    aws: "https://console.aws.amazon.com/",
    "aws-cn": "https://console.amazonaws.cn/",
    "aws-us-gov": "https://console.amazonaws-us-gov.com/",
  }[partitionOf(region)];
  const trimmed = (path ?? "").trim().replace(/^\/+/, "");
  const page = trimmed === "" ? "console/home" : /^[\w-]+$/.test(trimmed) ? `${trimmed}/home` : trimmed;
  const url = new URL(page, host);
  if (region !== undefined && !url.searchParams.has("region")) url.searchParams.set("region", region);
  return url.toString();
}

/** The URL the browser opens: it signs in with the token and goes on to the destination. */
export function loginUrl(
  endpoint: string,
  signinToken: string,
  destination: string,
  issuer = DEFAULT_ISSUER,
): string {
  const query = new URLSearchParams({
    Action: "login",
    Issuer: issuer,
    Destination: destination,
    SigninToken: signinToken,
  });
  return `${endpoint}?${query.toString()}`;
}
