// Bench suite of issue 10: `tobira rolesanywhere credential-process` answered from the session cache, next to
// the same command with --no-cache (one signed CreateSession each run), both against `node -e 0`.
//
// Set-up, as the README's "Try it against the sandbox" does it: a CA and a server certificate made with
// openssl (test material, not a secret tobira handles), the example world that trusts the CA, one warm-up
// call. The sandbox's audit log proves the rows: the hit row makes no CreateSession while timing, the
// --no-cache row one per run.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadWorldFile, startSandbox } from "../../packages/sandbox/dist/src/index.js";
import { runStep } from "../child-run.mjs";

const ANCHOR =
  "arn:aws:rolesanywhere:eu-west-1:111111111111:trust-anchor/935ab527-4a34-45c1-8575-ad2aa5f3b258";
const PROFILE = "arn:aws:rolesanywhere:eu-west-1:111111111111:profile/42035a7a-c603-418c-a46b-7735f912a38b";
const ROLE = "arn:aws:iam::111111111111:role/lab-server";
const EXAMPLE = fileURLToPath(new URL("../../examples/roles-anywhere/world.yaml", import.meta.url));

/** The README's openssl steps: an EC P-256 CA, and a server certificate of OU=servers issued by it. */
function makePki(dir) {
  const openssl = (args) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl(
    [
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "30",
      "-subj",
      "/CN=lab CA",
    ].concat([
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]),
  );
  openssl(["req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/OU=servers/CN=web-1"]);
  writeFileSync(join(dir, "leaf.ext"), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n");
  openssl(
    ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial"].concat([
      "-days",
      "7",
      "-extfile",
      "leaf.ext",
      "-out",
      "server.pem",
    ]),
  );
}

/** @param {import("../run.mjs").BenchContext} context */
export async function rolesAnywhereSuite(context) {
  const { root, node, tobiraBin, baseEnv, log } = context;
  const dir = join(root, "rolesanywhere");
  mkdirSync(dir, { recursive: true });
  makePki(dir);
  copyFileSync(EXAMPLE, join(dir, "world.yaml"));
  const stateDir = join(dir, "sandbox");
  const sandbox = await startSandbox({ world: loadWorldFile(join(dir, "world.yaml")), stateDir });
  const createSessions = () =>
    (existsSync(join(stateDir, "audit.jsonl")) ? readFileSync(join(stateDir, "audit.jsonl"), "utf8") : "")
      .split("\n")
      .filter((line) => line !== "" && JSON.parse(line).action === "CreateSession").length;
  try {
    const env = {
      ...baseEnv,
      AWS_ENDPOINT_URL: sandbox.endpoint,
      TOBIRA_CACHE_DIR: join(root, "ra-cache"),
      TOBIRA_RUNTIME_DIR: join(root, "ra-run"),
    };
    const identity = [
      "--certificate",
      join(dir, "server.pem"),
      "--private-key",
      join(dir, "server.key"),
    ].concat(["--trust-anchor-arn", ANCHOR, "--profile-arn", PROFILE, "--role-arn", ROLE]);
    const command = ["rolesanywhere", "credential-process", ...identity];
    log("warming the cache: tobira rolesanywhere credential-process (one CreateSession)");
    const warm = await runStep("tobira rolesanywhere credential-process", {
      command: node,
      args: [tobiraBin, ...command],
      env,
    });
    const cachedKey = JSON.parse(warm.stdout).AccessKeyId;
    const isVersion1 = (stdout) => JSON.parse(stdout).Version === 1;
    const measurements = [
      {
        id: "ra-cache-hit",
        label: "tobira rolesanywhere credential-process (cache hit)",
        command: node,
        args: [tobiraBin, ...command],
        env,
        check: (stdout) => isVersion1(stdout) && JSON.parse(stdout).AccessKeyId === cachedKey,
      },
      {
        id: "ra-no-cache",
        label: "tobira rolesanywhere credential-process --no-cache (one CreateSession)",
        command: node,
        args: [tobiraBin, ...command, "--no-cache"],
        env,
        check: (stdout) => isVersion1(stdout) && JSON.parse(stdout).AccessKeyId !== cachedKey,
      },
    ];
    const ratios = [
      { label: "RA cache hit / node -e 0", of: "ra-cache-hit", to: "node-baseline" },
      { label: "RA --no-cache / RA cache hit", of: "ra-no-cache", to: "ra-cache-hit" },
    ];
    let before = 0;
    return {
      measurements,
      ratios,
      beforeTiming: () => {
        before = createSessions();
      },
      afterTiming: () => ({
        "CreateSession calls while timing (= runs of the --no-cache row)": createSessions() - before,
      }),
      close: () => sandbox.close(),
    };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}
