#!/usr/bin/env node
// Entry point of the `tobira` command: answer a cached credential-process at once, else run the program and
// print errors as one line plus a hint.
//
// Why the dynamic imports: `credential-process` runs on every AWS CLI/SDK call of a profile that uses it, so a
// cache hit must cost little more than starting node. Loading commander and every command module first would
// more than double that, so the hit path loads only the session cache and its crypto.
import { formatError, TobiraError } from "./errors.js";

// On Node 20 the AWS SDK prints a multi-line "NodeVersionSupportWarning" on every STS call, which would bury
// our one-line prompts and errors (and break the clean stderr credential_process callers log). Node 20 is a
// supported target of ours; a user who sets the variable keeps their own value.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

try {
  if (!(await answeredFromCache())) {
    const { buildProgram } = await import("./cli.js");
    await buildProgram().parseAsync(process.argv);
  }
} catch (error) {
  process.stderr.write(`${formatError(error)}\n`);
  if (process.env.TOBIRA_DEBUG && error instanceof Error && error.stack)
    process.stderr.write(`${error.stack}\n`);
  process.exitCode = error instanceof TobiraError ? error.exitCode : 1;
}

/**
 * True when `credential-process PROFILE` was answered from the session cache. No process.exit() after a hit:
 * stdout may be an asynchronous pipe, and exiting early could cut the JSON short.
 */
async function answeredFromCache(): Promise<boolean> {
  if (process.argv[2] !== "credential-process") return false;
  const { answerCredentialProcessFromCache } = await import("./outputs/credential-process/fast-path.js");
  return answerCredentialProcessFromCache(process.argv.slice(3));
}
