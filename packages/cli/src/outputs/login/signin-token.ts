// Trades temporary credentials for a console sign-in token at the federation endpoint (getSigninToken).
// The credentials go in a POST form body, not the URL, so no proxy or server log records them.
import type { AwsCredentials } from "../../credentials/ports.js";
import { TobiraError } from "../../errors.js";

export class SigninTokenError extends TobiraError {
  override name = "SigninTokenError";
}

/** What the endpoint said, without echoing anything long: its error message when it sent one, else the status. */
function reasonOf(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { Error?: { Message?: unknown }; message?: unknown };
    const message = parsed.Error?.Message ?? parsed.message;
    if (typeof message === "string") return message.slice(0, 300);
  } catch {
    // not JSON: AWS answers some refusals with a page
  }
  return `HTTP ${status}`;
}

export async function fetchSigninToken(
  endpoint: string,
  credentials: AwsCredentials,
  sessionDurationSeconds?: number,
): Promise<string> {
  if (credentials.sessionToken === undefined) {
    throw new SigninTokenError(
      "the console takes only temporary credentials, and these have no session token",
      {
        hint: "use a role profile, or an IAM user profile (tobira then calls GetFederationToken)",
      },
    );
  }
  const form = new URLSearchParams({
    Action: "getSigninToken",
    Session: JSON.stringify({
      sessionId: credentials.accessKeyId,
      sessionKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    }),
  });
  if (sessionDurationSeconds !== undefined) form.set("SessionDuration", String(sessionDurationSeconds));
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      redirect: "error",
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new SigninTokenError(`cannot reach the federation endpoint ${endpoint}: ${cause}`, {
      hint: "check the network (or that the sandbox runs, for a profile with endpoint_url)",
      cause: error,
    });
  }
  const body = await response.text();
  if (!response.ok) {
    throw new SigninTokenError(
      `the federation endpoint refused the credentials: ${reasonOf(response.status, body)}`,
      {
        hint:
          response.status === 400
            ? "the console session duration or the credentials' kind is not accepted; try without --duration"
            : "the console accepts credentials from AssumeRole or GetFederationToken that have not expired",
      },
    );
  }
  let token: unknown;
  try {
    token = (JSON.parse(body) as { SigninToken?: unknown }).SigninToken;
  } catch {
    token = undefined;
  }
  if (typeof token !== "string" || token === "") {
    throw new SigninTokenError(`the federation endpoint ${endpoint} answered without a SigninToken`, {
      hint: "check endpoint_url: it does not behave like AWS's sign-in endpoint",
    });
  }
  return token;
}
