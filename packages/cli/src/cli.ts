// The command-line program: global options and the registry of commands (one module per command).
import { Command } from "commander";
import { commandModules } from "./commands/index.js";

export function buildProgram(): Command {
  const program = new Command("tobira")
    .description("From an MFA-protected IAM user to a shell, a port or SSH through AWS Session Manager.")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride((err) => {
      // commander's own exits (--help, --version, usage errors) keep their codes.
      process.exit(err.exitCode);
    });
  for (const module of commandModules) module.register(program);
  return program;
}
