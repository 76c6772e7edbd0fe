// `tobira sandbox up | down | status | mfa-code`: registers the commands; sandbox-control/ runs each, loaded
// only when it runs.
import { type Command, InvalidArgumentError } from "commander";
import { registerSandboxNode } from "./sandbox-node.js";

const STATE_HELP =
  "state folder (default: $TOBIRA_SANDBOX_STATE, else $XDG_STATE_HOME/tobira/sandbox or ~/.local/state/tobira/sandbox)";

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new InvalidArgumentError("expected a port from 0 to 65535.");
  return port;
}

/** The module that runs each subcommand, loaded only when it runs (sandbox-control/). */
const load = {
  up: () => import("../sandbox-control/up.js"),
  down: () => import("../sandbox-control/down.js"),
  status: () => import("../sandbox-control/status.js"),
  mfaCode: () => import("../sandbox-control/mfa-code.js"),
  ssoApprove: () => import("../sandbox-control/sso-approve.js"),
};

const DOWN_EXAMPLES = `
Examples:
  $ tobira sandbox down
  $ tobira sandbox down --state ./sandbox-state`;
const STATUS_EXAMPLES = `
Examples:
  $ tobira sandbox status
  $ tobira sandbox status --state ./sandbox-state --json`;
const MFA_CODE_EXAMPLES = `
Examples:
  $ tobira sandbox mfa-code alice
  $ tobira sandbox mfa-code arn:aws:iam::111111111111:mfa/alice --state ./sandbox-state`;

interface SandboxUpCommandOptions {
  world?: string;
  template?: string[];
  account: string;
  region: string;
  port?: number;
  state?: string;
  detach?: boolean;
}

export function register(program: Command): void {
  const sandbox = program
    .command("sandbox")
    .description("local AWS stand-in: STS, IAM, KMS, SSM, EC2, message gateway, simulated instances");

  sandbox
    .command("up")
    .description("serve the sandbox on 127.0.0.1 until Ctrl-C (or in the background with --detach)")
    .option("--world <file>", "YAML world file (default: the built-in world; with --template: none)")
    .option(
      "--template <file...>",
      "load the IAM users, roles, keys, preferences and instances of synthesized CloudFormation templates",
    )
    .option("--account <id>", "account of the templates' resources (with --template)", "111111111111")
    .option("--region <name>", "region of the templates' resources (with --template)", "ap-northeast-1")
    .option("--port <n>", "port to listen on (default: a free port)", parsePort)
    .option("--state <dir>", STATE_HELP)
    .option("--detach", "run in the background (output to <state>/sandbox.log); return once it answers")
    .addHelpText(
      "after",
      "\nExamples:\n  tobira sandbox up --detach\n  tobira sandbox up --world my-world.yaml --port 4566\n" +
        "  tobira sandbox up --template cdk.out/ArticleStack.template.json --account 111111111111",
    )
    .action(async (options: SandboxUpCommandOptions) => (await load.up()).runSandboxUp(options));

  sandbox
    .command("down")
    .description("stop the sandbox of a state folder (exit 0 when none is running)")
    .option("--state <dir>", STATE_HELP)
    .addHelpText("after", DOWN_EXAMPLES)
    .action(async (options: { state?: string }) => (await load.down()).runSandboxDown(options));

  sandbox
    .command("status")
    .description("whether a sandbox is running, its endpoint and its world (exit 0 either way)")
    .option("--state <dir>", STATE_HELP)
    .option("--json", "print a JSON report")
    .addHelpText("after", STATUS_EXAMPLES)
    .action(async (options: { state?: string; json?: boolean }) =>
      (await load.status()).runSandboxStatus(options),
    );

  sandbox
    .command("mfa-code")
    .description("print the current 6-digit code of a world virtual MFA device, as a phone app would")
    .argument("<serial>", "device serial (arn:aws:iam::111111111111:mfa/alice) or its name (alice)")
    .option("--state <dir>", STATE_HELP)
    .addHelpText("after", MFA_CODE_EXAMPLES)
    .action(async (serial: string, options: { state?: string }) =>
      (await load.mfaCode()).runSandboxMfaCode(serial, options),
    );

  registerSandboxNode(sandbox);

  sandbox
    .command("sso")
    .description("the sandbox's IAM Identity Center")
    .command("approve")
    .description(
      "approve (or --deny) a device code as an Identity Center user would: sign in on the verification page, then answer",
    )
    .argument("<code>", "the user code `tobira sso login` or the AWS CLI printed, such as BCDF-GHJK")
    .option("--user <name>", "the Identity Center user who approves (default: the world's first user)")
    .option("--deny", "deny the request instead")
    .option("--json", "print a JSON report")
    .option("--state <dir>", STATE_HELP)
    .addHelpText(
      "after",
      "\nExamples:\n  tobira sandbox sso approve BCDF-GHJK --user dave\n  tobira sandbox sso approve BCDF-GHJK --deny",
    )
    .action(
      async (code: string, options: { state?: string; user?: string; deny?: boolean; json?: boolean }) =>
        (await load.ssoApprove()).runSandboxSsoApprove(code, options),
    );
}
