// The program as bin/tobira.js and bin.ts run it once the credential-process fast path has passed: commander,
// every registration, and errors printed as one line plus a hint.
import { formatError, TobiraError } from "./errors.js";

export async function main(argv: readonly string[]): Promise<void> {
  // On Node 20 the AWS SDK prints a multi-line "NodeVersionSupportWarning" on every STS call, which would bury
  // our one-line prompts and errors (and break the clean stderr credential_process callers log). Node 20 is a
  // supported target of ours; a user who sets the variable keeps their own value.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  try {
    const { buildProgram } = await import("./cli.js");
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    process.stderr.write(`${formatError(error)}\n`);
    if (process.env.TOBIRA_DEBUG && error instanceof Error && error.stack)
      process.stderr.write(`${error.stack}\n`);
    process.exitCode = error instanceof TobiraError ? error.exitCode : 1;
  }
}
