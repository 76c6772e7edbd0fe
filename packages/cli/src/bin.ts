#!/usr/bin/env node
// Entry point of the `tobira` command: run the program, print errors as one line plus a hint.
import { formatError, TobiraError } from "./errors.js";
import { buildProgram } from "./cli.js";

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`${formatError(error)}\n`);
  if (process.env.TOBIRA_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = error instanceof TobiraError ? error.exitCode : 1;
}
