// `tobira add PROFILE`: stores an IAM user's long-term access key in the vault, typed on the terminal or from env.
import type { Command } from "commander";
import { backendOption } from "../vault/backend-option.js";

interface AddOptions {
  env?: boolean;
  force?: boolean;
  backend?: string;
}

export function register(program: Command): void {
  program
    .command("add")
    .description(
      "store an IAM user's long-term access key for PROFILE in the vault (keyring or encrypted file)",
    )
    .argument("<profile>", "the profile whose source credentials these are (as in ~/.aws/config)")
    .option(
      "--env",
      "take AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment instead of asking",
    )
    .option("--force", "replace a key already stored for PROFILE (its cached sessions are dropped)")
    .addOption(backendOption())
    .addHelpText(
      "after",
      `
The secret is asked on the terminal without echo; it is never taken from the command line.

Examples:
  $ tobira add alice
  $ AWS_ACCESS_KEY_ID=AKIA… AWS_SECRET_ACCESS_KEY=… tobira add alice --env
  $ tobira add alice --force --backend file`,
    )
    .action(async (profile: string, options: AddOptions) => {
      const { UsageError } = await import("../errors.js");
      const { checkAccessKeyId, checkProfileName, checkSecretAccessKey, maskAccessKeyId } = await import(
        "../vault/access-key-shape.js"
      );
      const { openVault } = await import("../vault/open-vault.js");
      const { requireTerminal } = await import("../terminal/index.js");

      checkProfileName(profile);
      let fromEnv: { accessKeyId: string; secretAccessKey: string } | undefined;
      if (options.env) {
        const accessKeyId = process.env.AWS_ACCESS_KEY_ID ?? "";
        const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY ?? "";
        if (accessKeyId === "" || secretAccessKey === "") {
          throw new UsageError("--env needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment", {
            hint: "set both, or leave out --env to type them",
          });
        }
        if (process.env.AWS_SESSION_TOKEN) {
          throw new UsageError("the environment holds temporary credentials (AWS_SESSION_TOKEN is set)", {
            hint: "store the IAM user's long-term key; unset AWS_SESSION_TOKEN",
          });
        }
        checkAccessKeyId(accessKeyId);
        checkSecretAccessKey(secretAccessKey);
        fromEnv = { accessKeyId, secretAccessKey };
      }

      const vault = await openVault({ backend: options.backend });
      const existing = await vault.keys.get(profile);
      if (existing && !options.force) {
        throw new UsageError(
          `profile '${profile}' already has a key in the vault (${maskAccessKeyId(existing.accessKeyId)})`,
          { hint: "pass --force to replace it, or `tobira remove` it first" },
        );
      }

      let typed = fromEnv;
      if (!typed) {
        const terminal = requireTerminal(
          "the access key",
          "pass --env with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set",
        );
        try {
          const idQuestion = `Access key ID for profile '${profile}': `;
          const accessKeyId = (await terminal.ask(idQuestion, { what: "the access key ID" })).trim();
          checkAccessKeyId(accessKeyId);
          const secretQuestion = "Secret access key (not shown): ";
          const secretAccessKey = (
            await terminal.ask(secretQuestion, { what: "the secret access key", echo: false })
          ).trim();
          checkSecretAccessKey(secretAccessKey);
          typed = { accessKeyId, secretAccessKey };
        } finally {
          terminal.close();
        }
      }

      await vault.keys.set(profile, { ...typed, addedAt: new Date().toISOString() });
      // Sessions and the cached record of the old key must not outlive it.
      const { forgetCachedSessions } = await import("../credentials/cached-sessions.js");
      const dropped = await forgetCachedSessions(profile);
      process.stdout.write(
        `Stored access key ${maskAccessKeyId(typed.accessKeyId)} for profile '${profile}' in the ${vault.location}` +
          (dropped > 0
            ? ` and dropped ${dropped} cached session${dropped === 1 ? "" : "s"} made with the old key`
            : "") +
          ".\n",
      );
    });
}
