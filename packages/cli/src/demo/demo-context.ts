// What each demo step works with: the running sandbox, its config files, STS clients, MFA codes, and a
// narrator that records every AWS call's outcome so the demo can point at the audit lines that decided it.
import { STSClient } from "@aws-sdk/client-sts";
import { fromIni } from "@aws-sdk/credential-providers";
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import { TobiraError } from "../errors.js";
import { type Field, renderFields } from "../output/fields.js";
import { wrapText } from "../output/wrap.js";
import type { World } from "../sandbox-control/sandbox-library.js";
import type { SandboxPaths } from "../sandbox-control/state-folder.js";

/** One outcome of a demo step that is not a single AWS call (an exit status, an ARN, a count of calls). */
export interface DemoCheck {
  label: string;
  ok: boolean;
}

/** One AWS call the demo made, what it expected, and what happened. */
export interface DemoCall {
  label: string;
  expected: "allowed" | "denied";
  outcome: "allowed" | "denied" | "failed";
  requestId: string | undefined;
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: Error };

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export class DemoContext {
  readonly calls: DemoCall[] = [];
  readonly checks: DemoCheck[] = [];
  /** What the steps share beyond the sandbox (the user's machine of the credential steps), by name. */
  readonly shared = new Map<string, unknown>();
  private readonly profiles: Record<string, Record<string, string | undefined>>;

  constructor(
    readonly world: World,
    readonly paths: SandboxPaths,
    readonly endpoint: string,
    private readonly codeFor: (serial: string) => Promise<string>,
    private readonly out: NodeJS.WritableStream = process.stdout,
  ) {
    this.profiles = {};
  }

  /** Reads the config file the sandbox wrote, as the AWS SDK reads it. */
  async loadProfiles(): Promise<void> {
    const files = await loadSharedConfigFiles({
      filepath: this.paths.credentials,
      configFilepath: this.paths.config,
      ignoreCache: true,
    });
    Object.assign(this.profiles, files.configFile);
  }

  /** A profile of the sandbox's config file; a missing one means the sandbox wrote a config we cannot use. */
  profile(name: string): Record<string, string | undefined> {
    const profile = this.profiles[name];
    if (!profile) {
      throw new TobiraError(`the sandbox's config file ${this.paths.config} has no profile '${name}'`, {
        hint: "the demo needs the built-in world; run it without a --state folder that holds another world",
      });
    }
    return profile;
  }

  /** An STS client signed with a profile's keys from the sandbox's credentials file, at its endpoint_url. */
  sts(profileName: string): STSClient {
    const profile = this.profile(profileName);
    return new STSClient({
      region: profile.region ?? this.world.region,
      endpoint: profile.endpoint_url ?? this.endpoint,
      credentials: fromIni({
        profile: profileName,
        filepath: this.paths.credentials,
        configFilepath: this.paths.config,
        ignoreCache: true,
      }),
    });
  }

  /** An STS client signed with temporary credentials (an assumed role's, a session token's). */
  stsWith(credentials: TemporaryCredentials): STSClient {
    return new STSClient({ region: this.world.region, endpoint: this.endpoint, credentials });
  }

  /** The current code of a world MFA device, read from the sandbox as a phone app would show it. */
  mfaCode(serial: string): Promise<string> {
    return this.codeFor(serial);
  }

  /** Makes one AWS call, prints whether it was allowed or denied (with AWS's message), and records it. */
  async call<T>(
    label: string,
    expected: DemoCall["expected"],
    send: () => Promise<T>,
  ): Promise<CallResult<T>> {
    let result: CallResult<T>;
    let outcome: DemoCall["outcome"];
    let requestId: string | undefined;
    try {
      const value = await send();
      result = { ok: true, value };
      outcome = "allowed";
      requestId = (value as { $metadata?: { requestId?: string } }).$metadata?.requestId;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      result = { ok: false, error: failure };
      const metadata = (failure as { $metadata?: { httpStatusCode?: number; requestId?: string } }).$metadata;
      // A service error carries an HTTP status; anything else (no answer, a bug) is a failure, not a denial.
      outcome = metadata?.httpStatusCode !== undefined ? "denied" : "failed";
      requestId = metadata?.requestId;
    }
    this.calls.push({ label, expected, outcome, requestId });
    const verdict = outcome === expected ? outcome : `${outcome.toUpperCase()} (expected: ${expected})`;
    this.say(`${label}: ${verdict}`);
    if (!result.ok) {
      for (const line of wrapText(`${result.error.name}: ${result.error.message}`, { indent: "      " })) {
        this.out.write(`${line}\n`);
      }
    }
    return result;
  }

  /** Records a call made by another process (a child of `tobira exec`, the AWS CLI) for the audit summary. */
  recordCall(call: DemoCall): void {
    this.calls.push(call);
  }

  /** Prints whether an outcome is as expected (and what it was otherwise), and records it. */
  check(label: string, ok: boolean, otherwise = ""): void {
    this.checks.push({ label, ok });
    this.say(ok ? `${label}: as expected` : `${label}: NOT AS EXPECTED${otherwise ? ` (${otherwise})` : ""}`);
  }

  /** A command line as the user types it, and its output, set apart from the narration. */
  transcript(lines: readonly string[]): void {
    for (const line of lines) {
      if (line === "") this.out.write("\n");
      for (const wrapped of line === "" ? [] : wrapText(line, { indent: "    " })) {
        this.out.write(`${wrapped}\n`);
      }
    }
  }

  /** Lines already laid out within the output width (audit lines), printed as they are. */
  print(lines: readonly string[]): void {
    for (const line of lines) this.out.write(`${line}\n`);
  }

  /** Narration, wrapped to the output width. */
  say(text: string): void {
    for (const line of wrapText(text, { indent: "  " })) this.out.write(`${line}\n`);
  }

  /** Aligned facts under the narration. */
  show(fields: readonly Field[]): void {
    this.out.write(`${renderFields(fields, "    ")}\n`);
  }

  /** Calls whose outcome differed from what AWS would decide, and checks that failed: their labels. */
  surprises(): string[] {
    return [
      ...this.calls.filter((call) => call.outcome !== call.expected).map((call) => call.label),
      ...this.checks.filter((check) => !check.ok).map((check) => check.label),
    ];
  }
}
