// Plans the STS calls that turn a profile's source credentials into the profile's credentials (pure).
//
// The rules, as aws-vault's fork settled them after years of issues (99designs#246/#263/#351, ByteNess#290):
// - zero roles: GetSessionToken from the long-term keys, with MFA when there is an mfa_serial and without it
//   otherwise. Without MFA we still trade the keys for a session token, as aws-vault does by default: the
//   IAM user's secret then never leaves tobira (no child environment, no credential_process consumer ever
//   sees it) and whatever leaks expires. The price: such a session cannot call IAM unless MFA was used.
// - roles behind an MFA device of the source user: ONE GetSessionToken with MFA, cached per source key and
//   device, then AssumeRole without a code. The session carries aws:MultiFactorAuthPresent, so trust
//   policies requiring MFA accept it, and every role profile of that user shares one code.
// - a single role asked for more than an hour: AWS treats AssumeRole from session-token credentials as
//   chaining (one hour at most), so such a role is assumed straight from the long-term keys, with the code.
// - two roles or more: every hop after the first credentials is chained, so each is capped at one hour; the
//   plan carries one note saying so when a longer duration was asked for.
import type { SsoRoleRequest } from "../sso/role-credentials.js";
import type { ChainOptions, CredentialChainSpec, RoleHop, SourceSpec } from "./chain-spec.js";
import { CredentialSettingError } from "./errors.js";

export const ONE_HOUR = 3600;
/** A working day and then some: one MFA code in the morning lasts until evening. */
export const DEFAULT_SESSION_TOKEN_SECONDS = 12 * ONE_HOUR;
export const DEFAULT_ROLE_SECONDS = ONE_HOUR;
export const DEFAULT_REGION = "us-east-1";

export interface SessionTokenStep {
  kind: "session-token";
  /** The profile whose long-term keys call GetSessionToken. */
  profile: string;
  /** MFA device whose code this call sends; absent → no MFA. */
  serial?: string;
  durationSeconds: number;
  region: string;
  endpointUrl?: string;
}

export interface AssumeRoleStep {
  kind: "assume-role";
  profile: string;
  roleArn: string;
  /** MFA device whose code this call sends; absent → the caller's credentials already carry MFA, or none is needed. */
  serial?: string;
  externalId?: string;
  /** Explicit role_session_name; absent → the IAM user's name, found once and cached. */
  sessionName?: string;
  durationSeconds: number;
  sessionTags?: Record<string, string>;
  transitiveSessionTags?: string[];
  sourceIdentity?: string;
  region: string;
  endpointUrl?: string;
}

/**
 * IAM Identity Center's GetRoleCredentials: the permission set's role in the account, with the access token
 * the sso-session's login cached. It is the chain's first step; roles after it are chained (one hour at most).
 */
export interface SsoRoleStep extends SsoRoleRequest {
  kind: "sso-role";
  /** Never an MFA code: Identity Center asked for MFA at sign-in. */
  serial?: undefined;
}

export type CredentialStep = SessionTokenStep | AssumeRoleStep | SsoRoleStep;

export interface CredentialPlan {
  profile: string;
  source: SourceSpec;
  /** In order; empty when the source's credentials are the answer (a `given` source and no role). */
  steps: CredentialStep[];
  /** Said once on stderr when the plan actually calls STS. */
  notes: string[];
  /** The region the outputs announce (AWS_REGION); absent when nothing names one. */
  region?: string | undefined;
  endpointUrl?: string | undefined;
}

export function planCredentials(spec: CredentialChainSpec, options: ChainOptions = {}): CredentialPlan {
  const region = options.region ?? spec.region;
  const stsRegion = (hop?: RoleHop) => options.region ?? hop?.region ?? spec.region ?? DEFAULT_REGION;
  const base = { profile: spec.profile, source: spec.source, region, endpointUrl: spec.endpointUrl };
  if (options.durationSeconds !== undefined) checkWholeSeconds(options.durationSeconds, "--duration");
  if (spec.source.kind === "sso") return ssoPlan(spec, options, base, stsRegion);
  if (spec.hops.length === 0) {
    if (spec.source.kind === "given") return { ...base, steps: [], notes: [] };
    return { ...base, steps: [sessionTokenOnly(spec, options, stsRegion())], notes: [] };
  }
  const requested = requestedDurations(spec, options);
  const first = stepsFromLongTermKeys(spec, requested, stsRegion);
  const roles = roleSteps(spec, requested, first, stsRegion);
  const notes: string[] = [];
  const temporaryNote = temporaryGivenNote(spec);
  if (temporaryNote !== undefined) notes.push(temporaryNote);
  if (roles.capped) {
    notes.push(
      `profile '${spec.profile}': roles assumed with temporary credentials (role chaining) last at most one hour; ` +
        "the longer duration asked for was capped to 3600 seconds",
    );
  }
  return { ...base, steps: [...first.steps, ...roles.steps], notes };
}

/** An SSO profile's plan: GetRoleCredentials, then each role hop chained from it (capped at an hour). */
function ssoPlan(
  spec: CredentialChainSpec,
  options: ChainOptions,
  base: Omit<CredentialPlan, "steps" | "notes">,
  stsRegion: (hop?: RoleHop) => string,
): CredentialPlan {
  if (spec.source.kind !== "sso") throw new Error("not an SSO source");
  const sso = spec.source.sso;
  const endpointUrl = spec.endpointUrl ?? sso.endpointUrl;
  const first: SsoRoleStep = {
    kind: "sso-role",
    profile: spec.source.profile,
    accountId: sso.accountId,
    roleName: sso.roleName,
    startUrl: sso.startUrl,
    ...(sso.sessionName === undefined ? {} : { sessionName: sso.sessionName }),
    region: sso.region,
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
  };
  const requested = requestedDurations(spec, options);
  const roles = roleSteps(spec, requested, { steps: [first], carried: new Set(), next: 0 }, stsRegion);
  const notes: string[] = [];
  if (roles.capped) {
    notes.push(
      `profile '${spec.profile}': roles assumed with IAM Identity Center credentials (role chaining) last at most one hour; ` +
        "the longer duration asked for was capped to 3600 seconds",
    );
  }
  return { ...base, steps: [first, ...roles.steps], notes };
}

/** Zero roles: GetSessionToken from the long-term keys, with MFA when a device is named. */
function sessionTokenOnly(
  spec: CredentialChainSpec,
  options: ChainOptions,
  region: string,
): SessionTokenStep {
  const durationSeconds = options.durationSeconds ?? DEFAULT_SESSION_TOKEN_SECONDS;
  checkRange(durationSeconds, 900, 129600, "GetSessionToken duration", spec.profile);
  const sourceSerial = spec.source.kind === "long-term" ? spec.source.mfaSerial : undefined;
  const serial = spec.mfaSerial ?? sourceSerial;
  return {
    kind: "session-token",
    profile: spec.source.profile,
    ...(serial === undefined ? {} : { serial }),
    durationSeconds,
    region,
    ...(spec.endpointUrl === undefined ? {} : { endpointUrl: spec.endpointUrl }),
  };
}

/** Each role's asked-for duration: --duration applies to the profile the user named, i.e. the last hop. */
function requestedDurations(spec: CredentialChainSpec, options: ChainOptions): number[] {
  return spec.hops.map((hop, i) => {
    const asked =
      i === spec.hops.length - 1 ? (options.durationSeconds ?? hop.durationSeconds) : hop.durationSeconds;
    const seconds = asked ?? DEFAULT_ROLE_SECONDS;
    checkRange(seconds, 900, 43200, "duration_seconds", hop.profile);
    return seconds;
  });
}

/** The steps made with the long-term keys and the MFA code, and where the role hops take over. */
interface FirstSteps {
  steps: CredentialStep[];
  /** Serials whose MFA context the credentials already carry: a later hop naming one sends no code. */
  carried: Set<string>;
  /** The index of the first hop still to assume. */
  next: number;
}

/**
 * How the chain leaves a vault key behind an MFA device: one MFA session token (cached, shared by every role of
 * the user), or — for a single role asked for more than an hour — that role straight from the key, with the code.
 */
function stepsFromLongTermKeys(
  spec: CredentialChainSpec,
  requested: number[],
  stsRegion: (hop?: RoleHop) => string,
): FirstSteps {
  const first = spec.hops[0]!;
  const serial = mfaSessionSerial(spec, first);
  if (serial === undefined) return { steps: [], carried: new Set(), next: 0 };
  const singleLongRole = spec.hops.length === 1 && requested[0]! > ONE_HOUR;
  if (!singleLongRole) {
    const step: SessionTokenStep = {
      kind: "session-token",
      profile: spec.source.profile,
      serial,
      durationSeconds: DEFAULT_SESSION_TOKEN_SECONDS,
      region: stsRegion(),
      ...(spec.endpointUrl === undefined ? {} : { endpointUrl: spec.endpointUrl }),
    };
    return { steps: [step], carried: new Set([serial]), next: 0 };
  }
  // Straight from the long-term keys with the code. When only the source names a device, the code still goes
  // along: the user's own policy may deny everything without MFA, and a code on the call satisfies it.
  const step = assumeRoleStep(first, requested[0]!, serial, stsRegion(first), spec.endpointUrl);
  return { steps: [step], carried: new Set([serial]), next: 1 };
}

/**
 * The device of the one MFA session, when the chain starts from a long-term key: the vault's (its user's own
 * device, or the first hop's), or a key a `given` source turned out to hand over (the first hop's device).
 */
function mfaSessionSerial(spec: CredentialChainSpec, first: RoleHop): string | undefined {
  if (spec.source.kind === "long-term") return first.mfaSerial ?? spec.source.mfaSerial;
  return spec.source.kind === "given" && spec.source.credentials === "long-term"
    ? first.mfaSerial
    : undefined;
}

/** Why one MFA per working session cannot hold behind temporary given credentials, said once. */
function temporaryGivenNote(spec: CredentialChainSpec): string | undefined {
  if (spec.source.kind !== "given" || spec.source.credentials !== "temporary") return undefined;
  if (!spec.hops.some((hop) => hop.mfaSerial !== undefined)) return undefined;
  return (
    `profile '${spec.profile}': '${spec.source.profile}' gives temporary credentials, which cannot call GetSessionToken ` +
    "(AWS refuses session credentials there), so each role behind them asks for its own MFA code, once per role session"
  );
}

/** The role hops left after `first`; each one after the first credentials is chained, so capped at an hour. */
function roleSteps(
  spec: CredentialChainSpec,
  requested: number[],
  first: FirstSteps,
  stsRegion: (hop?: RoleHop) => string,
): { steps: CredentialStep[]; capped: boolean } {
  const steps: CredentialStep[] = [];
  const carried = new Set(first.carried);
  let chained = first.steps.length > 0;
  let capped = false;
  for (let i = first.next; i < spec.hops.length; i++) {
    const hop = spec.hops[i]!;
    let seconds = requested[i]!;
    if (chained && seconds > ONE_HOUR) {
      seconds = ONE_HOUR;
      capped = true;
    }
    const serial = hop.mfaSerial !== undefined && !carried.has(hop.mfaSerial) ? hop.mfaSerial : undefined;
    steps.push(assumeRoleStep(hop, seconds, serial, stsRegion(hop), spec.endpointUrl));
    if (serial !== undefined) carried.add(serial);
    chained = true;
  }
  return { steps, capped };
}

function assumeRoleStep(
  hop: RoleHop,
  durationSeconds: number,
  serial: string | undefined,
  region: string,
  endpointUrl: string | undefined,
): AssumeRoleStep {
  if (hop.roleSessionName !== undefined && !/^[\w+=,.@-]{2,64}$/.test(hop.roleSessionName)) {
    throw new CredentialSettingError(
      `profile '${hop.profile}': role_session_name '${hop.roleSessionName}' is not a valid session name`,
      { hint: "use 2 to 64 characters among letters, digits and + = , . @ _ -" },
    );
  }
  return {
    kind: "assume-role",
    profile: hop.profile,
    roleArn: hop.roleArn,
    ...(serial === undefined ? {} : { serial }),
    ...(hop.externalId === undefined ? {} : { externalId: hop.externalId }),
    ...(hop.roleSessionName === undefined ? {} : { sessionName: hop.roleSessionName }),
    durationSeconds,
    ...(hop.sessionTags === undefined ? {} : { sessionTags: hop.sessionTags }),
    ...(hop.transitiveSessionTags === undefined ? {} : { transitiveSessionTags: hop.transitiveSessionTags }),
    ...(hop.sourceIdentity === undefined ? {} : { sourceIdentity: hop.sourceIdentity }),
    region,
    ...(endpointUrl === undefined ? {} : { endpointUrl }),
  };
}

function checkWholeSeconds(value: number, what: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new CredentialSettingError(`${what} must be a whole number of seconds, got ${value}`, {
      hint: "for example --duration 3600",
    });
  }
}

function checkRange(value: number, min: number, max: number, what: string, profile: string): void {
  checkWholeSeconds(value, what);
  if (value < min || value > max) {
    throw new CredentialSettingError(
      `profile '${profile}': ${what} ${value} is outside what AWS accepts (${min}–${max} seconds)`,
      { hint: `choose a duration between ${min} and ${max} seconds` },
    );
  }
}
