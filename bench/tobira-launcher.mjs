#!/usr/bin/env node
// The built CLI without bin.ts's credential-process fast path, with the credential commands registered even
// before commands/index.ts lists them (once it does, this registers nothing). The bench uses it for set-up
// (add, warming the cache) and to time a cache hit through the whole program, to show what the fast path saves.
const { buildProgram } = await import("../packages/cli/dist/src/cli.js");
const { formatError, TobiraError } = await import("../packages/cli/dist/src/errors.js");
const program = buildProgram();
for (const name of ["add", "credential-process", "exec", "export"]) {
  if (program.commands.some((command) => command.name() === name)) continue;
  const module = await import(`../packages/cli/dist/src/commands/${name}.js`);
  module.register(program);
}
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`${formatError(error)}\n`);
  process.exitCode = error instanceof TobiraError ? error.exitCode : 1;
}
