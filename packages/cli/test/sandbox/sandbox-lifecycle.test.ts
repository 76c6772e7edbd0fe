// `tobira sandbox up --detach | status | mfa-code | down` through the built CLI, as a user runs them.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { cleanEnv, endpointFrom, makeStateDir, tobira, tobiraBin } from "./built-cli.js";

const ALICE_MFA = "arn:aws:iam::111111111111:mfa/alice";

/** Gone, or a zombie: a detached sandbox is reparented to a pid 1 that may never reap it. */
function hasExited(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
}

describe("a detached sandbox through the built CLI", () => {
  const state = makeStateDir("lifecycle");
  let endpoint = "";

  before(async () => {
    const up = await tobira(["sandbox", "up", "--detach", "--state", state.dir]);
    assert.equal(up.code, 0, up.stderr);
    endpoint = endpointFrom(up.stdout);
    assert.match(
      up.stdout,
      /export AWS_CONFIG_FILE=\S+\/config AWS_SHARED_CREDENTIALS_FILE=\S+\/credentials/,
    );
  });

  after(async () => {
    await tobira(["sandbox", "down", "--state", state.dir]);
    state.remove();
  });

  test("up writes the config, the credentials (0600) and the served world into the state folder", () => {
    const config = readFileSync(join(state.dir, "config"), "utf8");
    for (const profile of ["alice", "bob", "carol", "switch", "project-a", "project-b"]) {
      assert.match(config, new RegExp(`^\\[profile ${profile}\\]$`, "m"), `profile ${profile} in config`);
    }
    assert.match(config, new RegExp(`endpoint_url\\s*=\\s*${endpoint}`));
    assert.equal(statSync(join(state.dir, "credentials")).mode & 0o777, 0o600);
  });

  test("status --json reports the running sandbox, its endpoint and its world", async () => {
    const status = await tobira(["sandbox", "status", "--json", "--state", state.dir]);
    assert.equal(status.code, 0, status.stderr);
    const report = JSON.parse(status.stdout);
    assert.equal(report.running, true);
    assert.equal(report.endpoint, endpoint);
    assert.equal(typeof report.pid, "number");
    assert.deepEqual(
      { accounts: report.world.accounts, users: report.world.users, instances: report.world.instances },
      { accounts: 2, users: 3, instances: 3 },
    );
    assert.ok(report.world.roles >= 4, `roles: ${report.world.roles}`);
  });

  test("status without --json prints the state in words", async () => {
    const status = await tobira(["sandbox", "status", "--state", state.dir]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^sandbox:\s+running \(pid \d+\)$/m);
    assert.match(status.stdout, /2 accounts, 3 users/);
  });

  test("a second up for the same state folder says it is running instead of starting another", async () => {
    const again = await tobira(["sandbox", "up", "--detach", "--state", state.dir]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already running/);
    assert.equal(endpointFrom(again.stdout), endpoint);
  });

  test("mfa-code prints a 6-digit code for a serial or a device name", async () => {
    const bySerial = await tobira(["sandbox", "mfa-code", ALICE_MFA, "--state", state.dir]);
    assert.equal(bySerial.code, 0, bySerial.stderr);
    assert.match(bySerial.stdout, /^\d{6}\n$/);
    const byName = await tobira(["sandbox", "mfa-code", "bob", "--state", state.dir]);
    assert.equal(byName.code, 0, byName.stderr);
    assert.match(byName.stdout, /^\d{6}\n$/);
  });

  test("mfa-code for an unknown device fails and lists the known ones", async () => {
    const result = await tobira([
      "sandbox",
      "mfa-code",
      "arn:aws:iam::111111111111:mfa/mallory",
      "--state",
      state.dir,
    ]);
    assert.notEqual(result.code, 0);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /no virtual MFA device arn:aws:iam::111111111111:mfa\/mallory/);
    assert.match(result.stderr, /hint: .*mfa\/alice/);
  });
});

describe("sandbox down", () => {
  test("stops a running sandbox, then reports stopped; a second down is not an error", async () => {
    const state = makeStateDir("down");
    try {
      const up = await tobira(["sandbox", "up", "--detach", "--state", state.dir]);
      assert.equal(up.code, 0, up.stderr);
      const pid = JSON.parse(
        (await tobira(["sandbox", "status", "--json", "--state", state.dir])).stdout,
      ).pid;

      const down = await tobira(["sandbox", "down", "--state", state.dir]);
      assert.equal(down.code, 0, down.stderr);
      assert.match(down.stdout, new RegExp(`stopped the sandbox .*\\(pid ${pid}\\)`));
      assert.ok(hasExited(pid), `pid ${pid} still runs after down`);

      const status = JSON.parse((await tobira(["sandbox", "status", "--json", "--state", state.dir])).stdout);
      assert.equal(status.running, false);
      assert.equal(status.status, "stopped");
      assert.equal(status.world.users, 3, "the served world is still reported after stopping");

      const again = await tobira(["sandbox", "down", "--state", state.dir]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /no sandbox is running/);
    } finally {
      await tobira(["sandbox", "down", "--state", state.dir]);
      state.remove();
    }
  });
});

describe("sandbox up in the foreground", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    test(`serves until ${signal}, then closes cleanly (exit 0, run record removed)`, async () => {
      const state = makeStateDir("foreground");
      try {
        const child = spawn(process.execPath, [tobiraBin, "sandbox", "up", "--state", state.dir], {
          env: cleanEnv(),
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
          stderr += chunk;
        });
        const exited = new Promise<number | null>((done) => child.on("close", done));
        await new Promise<void>((done, fail) => {
          child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
            stdout += chunk;
            if (stdout.includes("Stop it with")) done();
          });
          exited.then(() => fail(new Error(`up exited early: ${stderr}`)));
        });
        const endpoint = endpointFrom(stdout);
        assert.ok(existsSync(join(state.dir, "sandbox.json")));
        const status = JSON.parse(
          (await tobira(["sandbox", "status", "--json", "--state", state.dir])).stdout,
        );
        assert.equal(status.endpoint, endpoint);
        assert.equal(status.running, true);

        child.kill(signal);
        assert.equal(await exited, 0, stderr);
        assert.match(stderr, new RegExp(`received ${signal}; stopping the sandbox`));
        assert.match(stdout, /sandbox stopped\n$/);
        assert.equal(existsSync(join(state.dir, "sandbox.json")), false);
      } finally {
        state.remove();
      }
    });
  }
});

describe("a sandbox that died without cleaning up", () => {
  test("status reports it stale, and down clears the record so up can start again", async () => {
    const state = makeStateDir("stale");
    try {
      // The pid of a process that has exited (and was reaped by us), as a crashed sandbox leaves it.
      const dead = spawnSync(process.execPath, ["-e", ""]).pid;
      writeFileSync(
        join(state.dir, "sandbox.json"),
        JSON.stringify({
          pid: dead,
          endpoint: "http://127.0.0.1:9",
          port: 9,
          startedAt: "2024-04-01T00:00:00Z",
        }),
      );
      const status = JSON.parse((await tobira(["sandbox", "status", "--json", "--state", state.dir])).stdout);
      assert.equal(status.status, "stale");
      assert.equal(status.running, false);

      const down = await tobira(["sandbox", "down", "--state", state.dir]);
      assert.equal(down.code, 0, down.stderr);
      assert.match(down.stdout, /no sandbox is running/);
      assert.equal(existsSync(join(state.dir, "sandbox.json")), false);
    } finally {
      state.remove();
    }
  });
});

describe("sandbox errors a user can act on", () => {
  const state = makeStateDir("errors");
  after(() => state.remove());

  const badWorld = [
    "region: ap-northeast-1",
    "accounts:",
    '  - id: "111111111111"',
    "roles:",
    "  - name: broken",
    '    account: "111111111111"',
    "    trust:",
    '      Version: "2012-10-17"',
    "      Statement:",
    "        - Effect: allow",
    '          Principal: { AWS: "arn:aws:iam::111111111111:root" }',
    "          Action: sts:AssumeRole",
    "",
  ].join("\n");

  for (const detach of [false, true]) {
    test(`a world file with errors fails${detach ? " --detach" : ""} with its path and the place in it`, async () => {
      const worldPath = join(state.dir, "bad-world.yaml");
      writeFileSync(worldPath, badWorld);
      const args = ["sandbox", "up", "--world", worldPath, "--state", join(state.dir, "never")];
      const result = await tobira(detach ? [...args, "--detach"] : args);
      assert.notEqual(result.code, 0);
      assert.ok(result.stderr.includes(worldPath), result.stderr);
      assert.match(result.stderr, /roles\[0\]\.trust\.Statement\[0\]/);
      assert.match(result.stderr, /hint: /);
      assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace");
    });
  }

  test("a missing world file is named", async () => {
    const missing = join(state.dir, "no-such-world.yaml");
    const result = await tobira(["sandbox", "up", "--world", missing, "--state", state.dir]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /world file .*no-such-world\.yaml does not exist/i);
  });

  test("mfa-code with a state folder no sandbox has used says how to start one", async () => {
    const result = await tobira(["sandbox", "mfa-code", ALICE_MFA, "--state", join(state.dir, "empty")]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /no sandbox has run with the state folder/);
    assert.match(result.stderr, /hint: start one with `tobira sandbox up --detach/);
  });

  test("a busy --port is reported with what to do", async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, "127.0.0.1", done));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await tobira([
        "sandbox",
        "up",
        "--port",
        String(port),
        "--state",
        join(state.dir, "busy"),
      ]);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      blocker.close();
    }
  });

  test("an invalid --port is a usage error", async () => {
    const result = await tobira(["sandbox", "up", "--port", "http", "--state", state.dir]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /expected a port from 0 to 65535/);
  });
});
