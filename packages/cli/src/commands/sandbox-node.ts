// `tobira sandbox node register | run | hardware`: a simulated on-premises server behind a hybrid activation
// of the sandbox (sandbox-control/node/ runs each, loaded only when it runs).
import { type Command, InvalidArgumentError } from "commander";

const load = {
  register: () => import("../sandbox-control/node/node-register.js"),
  run: () => import("../sandbox-control/node/node-run.js"),
  hardware: () => import("../sandbox-control/node/node-hardware.js"),
};

const NODE_DIR_HELP = "the node's folder (default: <state>/nodes/node-1)";
const STATE_HELP = "the sandbox's state folder (default as for `tobira sandbox up`)";

function parseNumber(value: string): number {
  const n = Number(value);
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new InvalidArgumentError("expected a number.");
  return n;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerSandboxNode(sandbox: Command): void {
  const node = sandbox
    .command("node")
    .description("a simulated on-premises server registered with a hybrid activation");
  node
    .command("register")
    .description("register as `amazon-ssm-agent -register` does: key pair, fingerprint, mi-… id")
    .requiredOption("--id <activation-id>", "the ActivationId")
    .option("--code <->", "read the ActivationCode from stdin (`-`); never give it in argv")
    .option("--code-file <file>", "read the ActivationCode from a file")
    .requiredOption("--region <region>", "the activation's Region")
    .option("--node-dir <dir>", NODE_DIR_HELP)
    .option("--state <dir>", STATE_HELP)
    .option("--endpoint <url>", "SSM endpoint (default: the running sandbox's)")
    .option("--force", "register again over an existing registration (the agent's -y)")
    .option(
      "--similarity-threshold <n>",
      "hardware similarity threshold, 1-100 or -1 (default 40)",
      parseNumber,
    )
    .option(
      "--key-auto-rotate-days <n>",
      "the agent's Profile.KeyAutoRotateDays: rotate the RSA key pair at this age (0-365, default 0: never)",
      parseNumber,
    )
    .option(
      "--port <port:service>",
      "a service the server runs: 80:http, 7:echo, 22:sshd, 5432:tcp:HOST:PORT (repeatable; default 80:http and 22:sshd)",
      collect,
    )
    .option("--json", "print a JSON report")
    .addHelpText(
      "after",
      `
Examples:
  $ printf %s "$CODE" | tobira sandbox node register --code - --id "$ID" --region ap-northeast-1
  $ tobira sandbox node register --code-file code.txt --id "$ID" --region ap-northeast-1 --port 80:http`,
    )
    .action(async (options) => (await load.register()).runNodeRegister(options));
  node
    .command("run")
    .description("the agent's refresher: role credentials into <node-dir>/credentials at half-life")
    .option("--node-dir <dir>", NODE_DIR_HELP)
    .option("--state <dir>", STATE_HELP)
    .option(
      "--speed <n>",
      "run the schedule N times faster (60: every 30 s); the key pair ages as much faster",
      parseNumber,
    )
    .option("--once", "one refresh, then exit")
    .addHelpText(
      "after",
      `
Examples:
  $ tobira sandbox node run --speed 60
  $ tobira sandbox node run --once --node-dir ./state/nodes/node-1`,
    )
    .action(async (options) => (await load.run()).runNodeAgent(options));
  node
    .command("hardware")
    .description("show the simulated hardware's similarity, or change parts of it")
    .option("--node-dir <dir>", NODE_DIR_HELP)
    .option("--state <dir>", STATE_HELP)
    .option(
      "--change <part>",
      "machine-id|hostname|ip|mac|processor|memory|bios|system|disks (repeatable)",
      collect,
    )
    .option("--json", "print a JSON report")
    .addHelpText(
      "after",
      `
Examples:
  $ tobira sandbox node hardware --json
  $ tobira sandbox node hardware --change mac --change disks`,
    )
    .action(async (options) => (await load.hardware()).runNodeHardware(options));
}
