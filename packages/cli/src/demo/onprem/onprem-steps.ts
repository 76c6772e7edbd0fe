// The on-premises demo's steps: activation → registration → refresh → a non-root user gets the role through
// `tobira node credentials` → a hardware change warned, then hibernation → re-registration.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { DemoContext } from "../demo-context.js";
import type { DemoStep } from "../demo-step.js";
import { type Activation, createActivation, pingStatus } from "./onprem-admin.js";
import { runCli, showCli, startCli } from "./onprem-cli.js";
import { type OnpremPlace, placeOf } from "./onprem-place.js";

function accessKeyIn(file: string): string {
  return /^aws_access_key_id\s*=\s*(\S+)$/m.exec(readFileSync(file, "utf8"))?.[1] ?? "";
}

/** One pass of the simulated agent over its node folder: refresh, or hibernate when the node is refused. */
function agentRunOnce(demo: DemoContext, nodeDir: string) {
  return showCli(demo, "tobira sandbox node run --once", [
    "sandbox",
    "node",
    "run",
    "--once",
    "--node-dir",
    nodeDir,
  ]);
}

async function register(
  demo: DemoContext,
  place: OnpremPlace,
  activation: Activation,
  force: boolean,
): Promise<string> {
  const args = [
    "sandbox",
    "node",
    "register",
    "--code",
    "-",
    "--id",
    activation.id,
    "--region",
    demo.world.region,
    "--endpoint",
    demo.endpoint,
    "--node-dir",
    place.nodeDir,
    ...(force ? ["--force"] : []),
  ];
  const shown = `printf %s "$CODE" | tobira ${args.slice(0, 5).join(" ")} --id ${activation.id} --region ${demo.world.region}${force ? " --force" : ""}`;
  const result = await showCli(demo, shown, args, { input: activation.code });
  const nodeId = /registered:\s+(mi-[0-9a-f]{17})/.exec(result.stdout)?.[1] ?? "";
  demo.check(`the agent registered as ${nodeId || "an mi- node"}`, result.code === 0 && nodeId !== "");
  return nodeId;
}

const activate: DemoStep = {
  title: "An administrator creates a hybrid activation",
  async run(demo) {
    demo.say(
      "alice signs in with MFA and switches into hybrid-admin, which may pass SSMHybridNodeRole (trusting ssm.amazonaws.com) to SSM. The activation's tags go to every node it registers.",
    );
    const activation = await createActivation(demo);
    if (activation) placeOf(demo).activation = activation;
  },
};

const registration: DemoStep = {
  title: "The server's agent registers with the activation",
  async run(demo) {
    const place = placeOf(demo);
    if (!place.activation) return demo.check("an activation to register with", false);
    demo.say(
      "As `amazon-ssm-agent -register` does: a new RSA-2048 key pair and a random fingerprint UUID; the code goes on stdin, never in argv.",
    );
    place.nodeId = await register(demo, place, place.activation, false);
    demo.show([
      ["Vault/Store/RegistrationKey", "the node id and its RSA private key (0600)"],
      ["Vault/Store/InstanceFingerprint", "the fingerprint, nine hardware attributes, threshold 40"],
    ]);
  },
};

const refresh: DemoStep = {
  title: "The agent refreshes the role credentials into the shared credentials file",
  async run(demo) {
    const place = placeOf(demo);
    await agentRunOnce(demo, place.nodeDir);
    const file = join(place.nodeDir, "credentials");
    demo.check("the credentials file is 0600", (statSync(file).mode & 0o777) === 0o600);
    demo.say(
      "The agent rewrites that file in place at half the token's life (every 30 minutes for one-hour tokens). Here at 1800× speed, for three seconds:",
    );
    const agent = startCli(["sandbox", "node", "run", "--speed", "1800", "--node-dir", place.nodeDir]);
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      await sleep(250);
      seen.add(accessKeyIn(file));
    }
    agent.child.kill("SIGTERM");
    const keys = [...seen].filter(Boolean).map((key) => `ASIA…${key.slice(-4)}`);
    demo.show([["access keys seen", keys.join(", ")]]);
    demo.check("the agent rotated the credentials", seen.size >= 2);
  },
};

async function asUser(demo: DemoContext, name: "daemon" | "nobody") {
  const place = placeOf(demo);
  const ids = { daemon: { uid: 1, gid: 1 }, nobody: { uid: 65534, gid: 65534 } }[name];
  return showCli(demo, "tobira node credentials", ["node", "credentials", "--socket", place.socket], {
    as: { ...ids, name },
  });
}

async function identityFromJson(demo: DemoContext, json: string, expectedArn: string): Promise<void> {
  const c = JSON.parse(json) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  const me = await demo.call("sts:GetCallerIdentity with what daemon got", "allowed", () =>
    demo
      .stsWith({
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
      })
      .send(new GetCallerIdentityCommand({})),
  );
  if (me.ok) demo.show([["Arn", me.value.Arn]]);
  demo.check(`daemon acts as ${expectedArn}`, me.ok && me.value.Arn === expectedArn);
}

const serve: DemoStep = {
  title: "A non-root user gets the role through tobira node credentials",
  async run(demo) {
    const place = placeOf(demo);
    if (process.getuid?.() !== 0)
      return demo.say(
        "(this step needs root: `tobira node serve` reads root's file and checks other users' uids; skipped)",
      );
    demo.say(
      "Root's file stays root's. `tobira node serve` reads it safely and answers allowed local users over a Unix socket, deciding by the peer's uid (SO_PEERCRED):",
    );
    demo.transcript([`# tobira node serve --allow-user daemon --socket ${place.socket} &`]);
    place.server = startCli([
      "node",
      "serve",
      "--agent-dir",
      place.nodeDir,
      "--socket",
      place.socket,
      "--allow-user",
      "daemon",
    ]);
    await place.server.ready(/serving the role credentials/);
    const refused = await asUser(demo, "nobody");
    demo.check("nobody is refused by the socket", refused.code === 1 && /not allowed/.test(refused.stderr));
    const got = await asUser(demo, "daemon");
    demo.check("daemon gets credential_process JSON", got.code === 0);
    if (got.code === 0)
      await identityFromJson(
        demo,
        got.stdout,
        `arn:aws:sts::222222222222:assumed-role/SSMHybridNodeRole/${place.nodeId}`,
      );
    demo.say(
      "In daemon's ~/.aws/config: `credential_process = tobira node credentials`. No AWS_SHARED_CREDENTIALS_FILE, no readable root file.",
    );
  },
};

const hardware: DemoStep = {
  title: "The hardware changes: tobira warns, then the agent hibernates",
  async run(demo) {
    const place = placeOf(demo);
    const dir = place.nodeDir;
    await showCli(demo, "tobira sandbox node hardware --change memory --change disks --change bios", [
      "sandbox",
      "node",
      "hardware",
      "--node-dir",
      dir,
      "--change",
      "memory",
      "--change",
      "disks",
      "--change",
      "bios",
    ]);
    const status = await showCli(demo, "tobira node status", ["node", "status", "--agent-dir", dir]);
    demo.check(
      "tobira node status warns before hibernation, naming what changed",
      /^warning: one more changed attribute/m.test(status.stdout),
    );
    demo.say(
      "Then the IP, the system board and the CPU change too. The agent itself says nothing until it is too late:",
    );
    await showCli(demo, "tobira sandbox node hardware --change ip --change system --change processor", [
      "sandbox",
      "node",
      "hardware",
      "--node-dir",
      dir,
      "--change",
      "ip",
      "--change",
      "system",
      "--change",
      "processor",
    ]);
    const run = await agentRunOnce(demo, dir);
    demo.check(
      "the agent hibernates (MachineFingerprintDoesNotMatch)",
      /hibernating: .*MachineFingerprintDoesNotMatch/.test(run.stdout),
    );
    demo.check(
      "SSM shows the node ConnectionLost",
      (await pingStatus(demo, place.nodeId)) === "ConnectionLost",
    );
  },
};

const reregister: DemoStep = {
  title: "Re-registration brings the server back",
  async run(demo) {
    const place = placeOf(demo);
    demo.say(
      "The old fingerprint is gone for good; a new activation and `register --force` make a new node.",
    );
    const activation = await createActivation(demo);
    if (!activation) return;
    place.nodeId = await register(demo, place, activation, true);
    await agentRunOnce(demo, place.nodeDir);
    if (place.server) {
      const got = await runCli(["node", "credentials", "--socket", place.socket], {
        as: { uid: 1, gid: 1, name: "daemon" },
      });
      if (got.code === 0)
        await identityFromJson(
          demo,
          got.stdout,
          `arn:aws:sts::222222222222:assumed-role/SSMHybridNodeRole/${place.nodeId}`,
        );
      else demo.check("daemon gets the new node's credentials", false, got.stderr.trim());
    }
  },
};

export const onpremSteps: DemoStep[] = [activate, registration, refresh, serve, hardware, reregister];
