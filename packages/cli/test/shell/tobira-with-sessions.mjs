#!/usr/bin/env node
// The built CLI with targets, shell and run registered even before commands/index.ts lists them (the lead
// adds those lines); once it does, this launcher adds nothing and behaves exactly as bin/tobira.js.
const { buildProgram } = await import("../../dist/src/cli.js");
const { formatError, TobiraError } = await import("../../dist/src/errors.js");
const modules = {
  targets: await import("../../dist/src/commands/targets.js"),
  shell: await import("../../dist/src/commands/shell.js"),
  run: await import("../../dist/src/commands/run.js"),
};
const program = buildProgram();
for (const [name, module] of Object.entries(modules)) {
  if (!program.commands.some((command) => command.name() === name)) module.register(program);
}
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`${formatError(error)}\n`);
  if (process.env.TOBIRA_DEBUG && error instanceof Error && error.stack)
    process.stderr.write(`${error.stack}\n`);
  process.exitCode = error instanceof TobiraError ? error.exitCode : 1;
}
