// The first steps every session command shares: the profile's access (one MFA prompt), the target from what
// the user typed, and the session opened on it.
import { type OpenedSession, openSession, type SessionHandlers } from "./open-session.js";
import {
  chosenProfile,
  openProfileAccess,
  type ProfileAccess,
  type ProfileAccessOptions,
} from "./profile-access.js";
import { resolveTarget, type TargetChoiceOptions } from "./target-choice.js";
import type { Target } from "./targets.js";

export interface TargetSessionOptions {
  /** --profile (else AWS_PROFILE, else default). */
  profile?: string;
  /** TARGET as typed. */
  target: string;
  documentName?: string;
  parameters?: Record<string, string[]>;
  reason?: string;
  access?: ProfileAccessOptions;
  choice?: TargetChoiceOptions;
}

export interface TargetSession {
  access: ProfileAccess;
  target: Target;
  session: OpenedSession;
}

/** Opens the access, resolves the target and starts the session; on failure releases what it opened. */
export async function openTargetSession(
  options: TargetSessionOptions,
  handlers: SessionHandlers,
): Promise<TargetSession> {
  const access = await openProfileAccess(chosenProfile(options.profile), options.access ?? {});
  try {
    const target = await resolveTarget(access, options.target, options.choice ?? {});
    const session = await openSession(
      access,
      {
        target: target.id,
        ...(options.documentName === undefined ? {} : { documentName: options.documentName }),
        ...(options.parameters === undefined ? {} : { parameters: options.parameters }),
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      },
      handlers,
    );
    return { access, target, session };
  } catch (error) {
    access.close();
    throw error;
  }
}
