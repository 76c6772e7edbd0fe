// `tobira demo`: registers the narrated walk-through against a sandbox; its code loads only when it runs.
import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("demo")
    .description(
      "start a sandbox and walk through MFA-protected roles and Session Manager sessions, narrated",
    )
    .option(
      "--state <dir>",
      "state folder for the sandbox (default: a fresh temporary folder, removed after)",
    )
    .option("--keep", "keep the temporary state folder (config, credentials, audit log) afterwards")
    .action(async (options: { state?: string; keep?: boolean }) => {
      const { runDemo } = await import("../demo/demo-run.js");
      await runDemo(options);
    });
}
