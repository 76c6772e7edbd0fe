// `tobira node serve | credentials | exec | status`: tobira on an on-premises server whose SSM agent holds
// role credentials (node/ runs each, loaded only when it runs).
import { type Command, InvalidArgumentError } from "commander";

const load = {
  serve: () => import("../node/node-serve-run.js"),
  client: () => import("../node/node-client-run.js"),
  status: () => import("../node/node-status-run.js"),
};

const SOCKET_HELP = "the server's Unix socket (default: $TOBIRA_NODE_SOCKET, else /run/tobira/node.sock)";

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new InvalidArgumentError("expected a port from 0 to 65535.");
  return port;
}

function agentFileOptions(command: Command): Command {
  return command
    .option("--agent-dir <dir>", "the agent's data folder (default /var/lib/amazon/ssm)")
    .option(
      "--credentials-file <file>",
      "the agent's shared credentials file (default /root/.aws/credentials)",
    )
    .option("--profile <name>", "the agent's ShareProfile in that file", "default");
}

export function register(program: Command): void {
  const node = program
    .command("node")
    .description("on an on-premises server: serve the SSM agent's role credentials to local users");
  agentFileOptions(
    node
      .command("serve")
      .description("serve the agent's credentials (read safely) to allowed local users over a Unix socket")
      .option("--socket <path>", SOCKET_HELP)
      .option("--allow-user <name|uid>", "a local user allowed the credentials (repeatable)", collect)
      .option("--allow-group <name|gid>", "a local group allowed the credentials (repeatable)", collect)
      .option(
        "--http-port <n>",
        "also a container-credentials endpoint on 127.0.0.1:N (token file for the first group)",
        parsePort,
      )
      .option("--token-file <path>", "where that endpoint's token goes (with --http-port)"),
  )
    .addHelpText(
      "after",
      "\nExample (as root, or the agent's service account):\n  tobira node serve --allow-group app --allow-user deploy",
    )
    .action(async (options) => (await load.serve()).runNodeServe(options));
  node
    .command("credentials")
    .description(
      "print the node's role credentials as credential_process JSON (credential_process = tobira node credentials)",
    )
    .option("--socket <path>", SOCKET_HELP)
    .addHelpText(
      "after",
      `
Examples:
  $ tobira node credentials
  $ tobira node credentials --socket /run/tobira/node.sock`,
    )
    .action(async (options) => (await load.client()).runNodeCredentials(options));
  node
    .command("exec")
    .description("run a command with the node's role credentials in its environment")
    .argument("<command...>", "the command and its arguments, after --")
    .option("--socket <path>", SOCKET_HELP)
    .option("--region <region>", "AWS_REGION for the command")
    .addHelpText(
      "after",
      `
Examples:
  $ tobira node exec -- aws sts get-caller-identity
  $ tobira node exec --region eu-west-1 -- aws s3 ls`,
    )
    .action(async (command: string[], options) => (await load.client()).runNodeExec(command, options));
  agentFileOptions(
    node
      .command("status")
      .description(
        "node id, Region, role, credential expiry and refresh, fingerprint similarity and hibernation warning",
      )
      .option(
        "--endpoint-url <url>",
        "STS endpoint for the role lookup (a simulated node's folder names the sandbox's)",
      )
      .option("--json", "print a JSON report"),
  )
    .addHelpText(
      "after",
      `
Examples:
  $ tobira node status
  $ tobira node status --json`,
    )
    .action(async (options) => (await load.status()).runNodeStatus(options));
}
