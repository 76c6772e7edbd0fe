// The plain data the planner reads: where the first credentials come from, the role hops, the target's settings.
// `from-resolved-profile.ts` builds it from config/'s resolved profile; tests build it by hand.
import type { RoleHop as ConfigRoleHop, SsoProfileSettings } from "../config/index.js";

/**
 * One AssumeRole of the chain, as config/ resolves it, without the hop's own endpoint_url: the target's
 * effective endpoint reaches every STS call, so AWS_ENDPOINT_URL or the target's endpoint_url moves the whole
 * chain together.
 */
export type RoleHop = Omit<ConfigRoleHop, "endpointUrl">;

/**
 * The first credentials of the chain.
 * - `long-term`: an IAM user's keys kept in the vault (or, for compatibility, in the credentials file).
 * - `given`: credentials obtained elsewhere (environment variables, a credential_process, a container
 *   endpoint): never cached by us; used as they are, except that a long-term key behind roles with MFA is
 *   traded for one MFA session token, as a vault key is.
 */
export type SourceSpec =
  | { kind: "long-term"; profile: string; mfaSerial?: string }
  | {
      kind: "given";
      profile: string;
      origin: GivenOrigin;
      /**
       * What the given credentials turned out to be once fetched: an IAM user's long-term key (no session token),
       * which may call GetSessionToken, or temporary ones, which may not. Absent: not known (no MFA session is planned).
       */
      credentials?: "long-term" | "temporary";
    }
  /** IAM Identity Center: the first step is GetRoleCredentials with the sso-session's cached access token. */
  | { kind: "sso"; profile: string; sso: SsoProfileSettings };

/** Where `given` credentials come from; `given-credentials.ts` fetches each. */
export type GivenOrigin =
  | { type: "environment" }
  | { type: "process"; command: string }
  | { type: "rolesanywhere"; settings: Record<string, string> }
  | { type: "ec2-metadata" }
  | { type: "ecs-container" };

export interface CredentialChainSpec {
  /** The profile the user named. */
  profile: string;
  source: SourceSpec;
  /** In order: hops[0] is assumed with the source's credentials, hops[i] with those of hops[i-1]. */
  hops: RoleHop[];
  /** The target's own mfa_serial; for zero hops it is the device GetSessionToken uses. */
  mfaSerial?: string;
  region?: string;
  endpointUrl?: string;
}

/** What the command line may override. */
export interface ChainOptions {
  /** --duration: the role's session (or, with no role, the session token's) lifetime in seconds. */
  durationSeconds?: number;
  /** --region: where STS is called and what the outputs announce. */
  region?: string;
}
