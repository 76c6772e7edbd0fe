// User-facing errors: one clear line of what went wrong plus a hint of what to do, and an exit code.
// Every module of the CLI throws these (or subclasses) for anything a user can act on; bin.ts prints them.

export class TobiraError extends Error {
  override name = "TobiraError";
  /** One line telling the user what to do next; printed after the message as "hint: …". */
  readonly hint: string | undefined;
  /** Process exit code; 1 unless a subclass has a reason to differ. */
  readonly exitCode: number;

  constructor(message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** A file the user wrote (AWS config, world file, vault) is malformed; the message names file, section and key. */
export class ConfigError extends TobiraError {
  override name = "ConfigError";
}

/** The command line itself is wrong (unknown profile, missing argument). Exit code 2, as shells expect. */
export class UsageError extends TobiraError {
  override name = "UsageError";
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: 2 });
  }
}

/** AWS refused a call (STS, IAM): the message names the call and AWS's reason; `code` is AWS's error code. */
export class AwsRefusedError extends TobiraError {
  override name = "AwsRefusedError";
  readonly code: string | undefined;
  constructor(message: string, options: { code?: string; hint?: string; cause?: unknown } = {}) {
    super(message, options);
    this.code = options.code;
  }
}

/** Renders an error for the terminal: "tobira: message" and, when known, "  hint: …". Never includes a stack. */
export function formatError(error: unknown): string {
  if (error instanceof TobiraError) {
    return error.hint ? `tobira: ${error.message}\n  hint: ${error.hint}` : `tobira: ${error.message}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `tobira: ${message}`;
}
