#!/usr/bin/env node
// The built CLI without bin.ts's credential-process fast path (every command is registered in
// commands/index.ts). The bench uses it for set-up (add, warming the cache) and to time a cache hit through
// the whole program, to show what the fast path saves.
const { buildProgram } = await import("../packages/cli/dist/src/cli.js");
const { formatError, TobiraError } = await import("../packages/cli/dist/src/errors.js");
const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`${formatError(error)}\n`);
  process.exitCode = error instanceof TobiraError ? error.exitCode : 1;
}
