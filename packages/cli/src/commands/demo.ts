// `tobira demo`: registers the narrated walk-through against a sandbox; its code loads only when it runs.
import type { Command } from "commander";

export function register(program: Command): void {
  const demo = program
    .command("demo")
    .description(
      "start a sandbox and walk through MFA-protected roles and Session Manager sessions, narrated",
    )
    .option(
      "--state <dir>",
      "state folder for the sandbox (default: a fresh temporary folder, removed after)",
    )
    .option("--keep", "keep the temporary state folder (config, credentials, audit log) afterwards")
    .addHelpText(
      "after",
      `
Examples:
  $ tobira demo
  $ tobira demo --keep
  $ tobira demo --state ./demo-state`,
    )
    .action(async (options: { state?: string; keep?: boolean }) => {
      const { runDemo } = await import("../demo/demo-run.js");
      await runDemo(options);
    });
  demo
    .command("onprem")
    .description(
      "an on-premises server behind a hybrid activation, and tobira node serving its role to local users",
    )
    .option("--keep", "keep the temporary state folder afterwards")
    .addHelpText(
      "after",
      `
Examples:
  $ tobira demo onprem
  $ tobira demo onprem --keep`,
    )
    .action(async (options: { keep?: boolean }) => {
      const { runOnpremDemo } = await import("../demo/onprem/onprem-run.js");
      await runOnpremDemo(options);
    });
  demo
    .command("sso")
    .description("IAM Identity Center: one device-flow sign-in, then roles, a session and a chained role")
    .option("--keep", "keep the temporary state folder afterwards")
    .addHelpText(
      "after",
      `
Examples:
  $ tobira demo sso
  $ tobira demo sso --keep`,
    )
    .action(async (options: { keep?: boolean }) => {
      const { runSsoDemo } = await import("../demo/sso/sso-run.js");
      await runSsoDemo(options);
    });
}
