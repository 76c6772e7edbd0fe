// `tobira rolesanywhere credential-process | serve | update`: role credentials for an X.509 certificate
// through IAM Roles Anywhere, as AWS's aws_signing_helper gives them; rolesanywhere/ runs each, loaded only
// when it runs. The certificate and ARNs come from flags, or from a config profile's tobira_rolesanywhere_* keys.
// `store-passphrase | forget-passphrase` keep an encrypted key's passphrase in the vault.
import type { Command } from "commander";
import type { IdentityFlags } from "../rolesanywhere/identity-flags.js";
import { backendOption } from "../vault/backend-option.js";

function addIdentityFlags(command: Command): Command {
  return command
    .option("--certificate <file>", "the X.509 certificate (PEM or DER) the session is signed with")
    .option(
      "--private-key <file>",
      "its private key: RSA or EC, PEM or PKCS#8 (encrypted: passphrase from $TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE(_FILE) or the terminal)",
    )
    .option(
      "--passphrase-source <source>",
      "environment (the variables, then the terminal; the default) or vault (`rolesanywhere store-passphrase`)",
    )
    .option("--intermediates <file>", "PEM bundle of intermediate CA certificates, sent with the certificate")
    .option("--trust-anchor-arn <arn>", "the trust anchor (its region is the default region)")
    .option("--profile-arn <arn>", "the Roles Anywhere profile")
    .option("--role-arn <arn>", "the role to assume")
    .option("--session-duration <seconds>", "900–43200 (default: the profile's duration)")
    .option(
      "--role-session-name <name>",
      "session name, if the profile accepts one (default: the certificate's serial)",
    )
    .option("--region <region>", "region of the Roles Anywhere endpoint (default: the trust anchor's)")
    .option(
      "--endpoint <url>",
      "endpoint URL (default: $AWS_ENDPOINT_URL_ROLESANYWHERE, $AWS_ENDPOINT_URL, else AWS's)",
    )
    .option(
      "--profile <name>",
      "read all of the above from this AWS config profile's tobira_rolesanywhere_* keys",
    );
}

const EXAMPLE = `
Example:
  tobira rolesanywhere credential-process \\
    --certificate server.pem --private-key server.key --intermediates chain.pem \\
    --trust-anchor-arn arn:aws:rolesanywhere:eu-west-1:111111111111:trust-anchor/… \\
    --profile-arn arn:aws:rolesanywhere:eu-west-1:111111111111:profile/… \\
    --role-arn arn:aws:iam::111111111111:role/lab-server`;

export function register(program: Command): void {
  const group = program
    .command("rolesanywhere")
    .description("role credentials for an X.509 certificate through IAM Roles Anywhere");
  addIdentityFlags(
    group
      .command("credential-process")
      .description(
        "print credential_process JSON (for the AWS CLI and SDKs), cached until 5 minutes before expiry",
      ),
  )
    .option("--no-cache", "make one CreateSession, neither reading nor storing cached credentials")
    .addHelpText(
      "after",
      `${EXAMPLE}

Credentials are kept in tobira's session cache (encrypted, 0600) under a key made of the certificate, key and
intermediates files' contents, the three ARNs, the duration, the session name, region and endpoint; a hit does
not read the private key. \`tobira clear\` drops them.`,
    )
    .action(async (flags: IdentityFlags & { cache?: boolean }) => {
      const { runRolesAnywhereCredentialProcess } = await import(
        "../rolesanywhere/credential-process-run.js"
      );
      await runRolesAnywhereCredentialProcess(flags);
    });
  addIdentityFlags(
    group
      .command("serve")
      .description(
        "serve the role's credentials on 127.0.0.1 as an IMDSv2 endpoint (AWS_EC2_METADATA_SERVICE_ENDPOINT)",
      ),
  )
    .option("--port <n>", "port on 127.0.0.1 (default 9911; 0 = a free one)")
    .addHelpText(
      "after",
      `
Prints \`export AWS_EC2_METADATA_SERVICE_ENDPOINT=…\`; SDKs and the AWS CLI then read the credentials from it.

Examples:
  $ tobira rolesanywhere serve --profile lab-server
  $ tobira rolesanywhere serve --profile lab-server --port 0`,
    )
    .action(async (flags: IdentityFlags & { port?: string }) => {
      const { runRolesAnywhereServe } = await import("../rolesanywhere/serve-run.js");
      await runRolesAnywhereServe(flags);
    });
  addIdentityFlags(
    group
      .command("update")
      .description(
        "keep a credentials-file profile holding the role's credentials, renewed 5 minutes before expiry",
      ),
  )
    .option("--credentials-profile <name>", "section of the credentials file to write (default: default)")
    .option("--once", "write once and exit")
    .addHelpText(
      "after",
      `
Writes AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials atomically (mode 0600), other sections kept.

Examples:
  $ tobira rolesanywhere update --profile lab-server --credentials-profile lab-server
  $ tobira rolesanywhere update --profile lab-server --once`,
    )
    .action(async (flags: IdentityFlags & { credentialsProfile?: string; once?: boolean }) => {
      const { runRolesAnywhereUpdate } = await import("../rolesanywhere/update-run.js");
      await runRolesAnywhereUpdate(flags);
    });
  type PassphraseFlags = import("../rolesanywhere/store-passphrase-run.js").PassphraseFlags;
  group
    .command("store-passphrase")
    .description("keep an encrypted private key's passphrase in the vault, for --passphrase-source vault")
    .requiredOption("--private-key <file>", "the encrypted key (PKCS#8 PEM or DER) whose passphrase this is")
    .option("--env", "take it from $TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE instead of asking")
    .option("--force", "replace a passphrase already stored for this key")
    .option("--json", "print a JSON report on stdout")
    .addOption(backendOption())
    .addHelpText(
      "after",
      `
The passphrase is asked on the terminal without echo (never taken from the command line) and must decrypt the
key. It is stored under the key file's SHA-256, so it follows the key, not its path; after re-encrypting or
replacing the key, store it again.

Example:
  $ tobira rolesanywhere store-passphrase --private-key /etc/pki/server.key
  $ tobira rolesanywhere credential-process --profile lab-server --passphrase-source vault`,
    )
    .action(async (flags: PassphraseFlags) => {
      const { runStorePassphrase } = await import("../rolesanywhere/store-passphrase-run.js");
      await runStorePassphrase(flags);
    });
  group
    .command("forget-passphrase")
    .description("remove an encrypted private key's passphrase from the vault")
    .requiredOption("--private-key <file>", "the encrypted key whose passphrase to remove")
    .option("--json", "print a JSON report on stdout")
    .addOption(backendOption())
    .addHelpText(
      "after",
      `
Examples:
  $ tobira rolesanywhere forget-passphrase --private-key /etc/pki/server.key
  $ tobira rolesanywhere forget-passphrase --private-key /etc/pki/server.key --backend file`,
    )
    .action(async (flags: PassphraseFlags) => {
      const { runForgetPassphrase } = await import("../rolesanywhere/store-passphrase-run.js");
      await runForgetPassphrase(flags);
    });
}
