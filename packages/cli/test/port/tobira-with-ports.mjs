#!/usr/bin/env node
// The built CLI with port, ssh-proxy and ssh-config (and the session commands they sit beside) registered even
// before commands/index.ts lists them (the lead adds those lines); once it does, this launcher adds nothing and
// behaves exactly as bin/tobira.js.
const { buildProgram } = await import("../../dist/src/cli.js");
const { formatError, TobiraError } = await import("../../dist/src/errors.js");
const names = ["targets", "shell", "run", "port", "ssh-proxy", "ssh-config"];
const program = buildProgram();
for (const name of names) {
  if (program.commands.some((command) => command.name() === name)) continue;
  const module = await import(`../../dist/src/commands/${name}.js`);
  module.register(program);
}
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`${formatError(error)}\n`);
  if (process.env.TOBIRA_DEBUG && error instanceof Error && error.stack)
    process.stderr.write(`${error.stack}\n`);
  process.exitCode = error instanceof TobiraError ? error.exitCode : 1;
}
