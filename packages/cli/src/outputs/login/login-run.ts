// What `tobira login PROFILE` does: temporary credentials fit for the console (a role's as they are, or for
// an IAM user GetFederationToken's), a sign-in token for them, and the login URL, opened or printed.
// The URL holds a sign-in token: it goes to stdout or to the browser, never to stderr or a log.
import type { StaticKeysFromFile } from "../../config/index.js";
import { CredentialSettingError, MissingLongTermKeysError } from "../../credentials/errors.js";
import { DEFAULT_REGION } from "../../credentials/plan.js";
import type { AwsCredentials } from "../../credentials/ports.js";
import {
  credentialsForProfile,
  type ProfileCredentialOptions,
} from "../../credentials/profile-credentials.js";
import { openInBrowser } from "../../terminal/open-browser.js";
import { consoleDestination, federationEndpoint, loginUrl } from "./console-url.js";
import {
  FEDERATION_DEFAULT_SECONDS,
  FEDERATION_MAX_SECONDS,
  FEDERATION_MIN_SECONDS,
  federatedName,
  getFederationToken,
} from "./federation-token.js";
import { fetchSigninToken } from "./signin-token.js";

export interface LoginOptions extends ProfileCredentialOptions {
  /** --path: the console page (a service name such as ec2, or a path). */
  path?: string;
  /** --print: print the URL instead of opening a browser. */
  print?: boolean;
  /** Where the URL goes when printed; stdout by default. */
  out?: (text: string) => void;
  /** Opens the URL; the system's browser by default. */
  open?: (url: string) => Promise<boolean>;
}

interface ConsoleCredentials {
  credentials: AwsCredentials;
  region?: string;
  endpointUrl?: string;
  /** Sent to getSigninToken only for a role assumed straight from long-term keys (AWS refuses it otherwise). */
  sessionDurationSeconds?: number;
}

/** An IAM user without a role: GetFederationToken with the long-term keys, and a warning that MFA is gone. */
async function federationCredentials(
  profile: string,
  keyProfile: string,
  fileKeys: StaticKeysFromFile | undefined,
  region: string | undefined,
  endpointUrl: string | undefined,
  options: LoginOptions,
  notice: (line: string) => void,
): Promise<ConsoleCredentials> {
  const duration = options.durationSeconds ?? FEDERATION_DEFAULT_SECONDS;
  if (duration < FEDERATION_MIN_SECONDS || duration > FEDERATION_MAX_SECONDS) {
    throw new CredentialSettingError(
      `--duration ${duration} is outside what GetFederationToken accepts (${FEDERATION_MIN_SECONDS}–${FEDERATION_MAX_SECONDS} seconds)`,
      { hint: "choose a duration between 15 minutes and 36 hours" },
    );
  }
  notice(
    `profile '${profile}' is an IAM user without a role: its console session comes from GetFederationToken and carries no MFA ` +
      "(sign in through a role profile with mfa_serial for an MFA-backed session)",
  );
  const env = options.env ?? process.env;
  const { openLongTermKeyStore } = await import("../../credentials/vault-key-store.js");
  const store = await openLongTermKeyStore(env, fileKeys, notice);
  const longTerm = await store.get(keyProfile);
  if (!longTerm) throw new MissingLongTermKeysError(keyProfile);
  const stsRegion = region ?? DEFAULT_REGION;
  const { getCallerIdentity } = await import("../../credentials/sts-calls.js");
  const identity = await getCallerIdentity(longTerm, stsRegion, endpointUrl, keyProfile);
  const userName = identity.arn.slice(identity.arn.lastIndexOf("/") + 1);
  const credentials = await getFederationToken(longTerm, {
    name: federatedName(userName),
    durationSeconds: duration,
    region: stsRegion,
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
    profile,
  });
  return {
    credentials,
    ...(region === undefined ? {} : { region }),
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
  };
}

async function consoleCredentials(
  profile: string,
  options: LoginOptions,
  notice: (line: string) => void,
): Promise<ConsoleCredentials> {
  const env = options.env ?? process.env;
  const { loadConfigFiles, resolveProfile } = await import("../../config/index.js");
  const files = await loadConfigFiles({ env });
  const resolved = resolveProfile(files, profile, { env });
  const region = options.region ?? resolved.region;
  if (resolved.roles.length === 0 && resolved.source.kind === "static") {
    return federationCredentials(
      profile,
      resolved.source.profile,
      resolved.source.fromFile,
      region,
      resolved.endpointUrl,
      options,
      notice,
    );
  }
  // A role's credentials are used as they are. SessionDuration only for a role assumed straight from the
  // long-term keys: AWS refuses it for role chains, and an AssumeRole made with a session token is one.
  const result = await credentialsForProfile(profile, { ...options, notice });
  const steps = result.plan.steps;
  const direct = steps.length === 1 && steps[0]?.kind === "assume-role";
  if (options.durationSeconds !== undefined && !direct) {
    notice(
      `the console session of profile '${profile}' lasts at most one hour: AWS takes no console duration for a role ` +
        "reached through a session token or another role",
    );
  }
  return {
    credentials: result.credentials,
    ...(result.region === undefined ? {} : { region: result.region }),
    ...(result.endpointUrl === undefined ? {} : { endpointUrl: result.endpointUrl }),
    ...(direct && options.durationSeconds !== undefined
      ? { sessionDurationSeconds: options.durationSeconds }
      : {}),
  };
}

export async function runLogin(profile: string, options: LoginOptions = {}): Promise<void> {
  const notice = options.notice ?? ((line: string) => process.stderr.write(`tobira: ${line}\n`));
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const fitting = await consoleCredentials(profile, options, notice);
  if (fitting.sessionDurationSeconds !== undefined && fitting.sessionDurationSeconds > 43200) {
    throw new CredentialSettingError(
      `--duration ${fitting.sessionDurationSeconds} is longer than a console session can last (43200 seconds)`,
      { hint: "choose at most 12h" },
    );
  }
  const endpoint = federationEndpoint(fitting.endpointUrl, fitting.region);
  const token = await fetchSigninToken(endpoint, fitting.credentials, fitting.sessionDurationSeconds);
  const url = loginUrl(endpoint, token, consoleDestination(options.path, fitting.region));
  if (options.print) {
    out(`${url}\n`);
    return;
  }
  const opened = await (options.open ?? openInBrowser)(url);
  if (opened) {
    notice(`opened the console for profile '${profile}' in your browser`);
    return;
  }
  notice("no browser could be opened here; open this URL yourself (it signs in once, within 15 minutes):");
  out(`${url}\n`);
}
