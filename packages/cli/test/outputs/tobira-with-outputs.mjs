#!/usr/bin/env node
// The built CLI with the exec / export / credential-process commands registered even before commands/index.ts
// lists them (the lead adds those lines); once it does, this launcher adds nothing. It also takes the
// credential-process fast path before loading the program, as proposed for bin.ts.
// No process.exit() after a hit: stdout may be an asynchronous pipe (macOS), so let it drain.
const answered =
  process.argv[2] === "credential-process" &&
  (await import("../../dist/src/credentials/credential-process-fast.js").then((fast) =>
    fast.answerCredentialProcessFromCache(process.argv.slice(3)),
  ));
if (!answered) await runProgram();

async function runProgram() {
  const { buildProgram } = await import("../../dist/src/cli.js");
  const { formatError, TobiraError } = await import("../../dist/src/errors.js");
  const modules = {
    exec: await import("../../dist/src/commands/exec.js"),
    export: await import("../../dist/src/commands/export.js"),
    "credential-process": await import("../../dist/src/commands/credential-process.js"),
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
}
