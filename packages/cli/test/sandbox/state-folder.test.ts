// Where the sandbox keeps its state: --state, then TOBIRA_SANDBOX_STATE, then the per-user folder of the platform.
import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveStateDir, sandboxPaths } from "../../src/sandbox-control/state-folder.js";
import { shellQuote } from "../../src/sandbox-control/usage.js";

const env = { HOME: "/home/ann", TOBIRA_SANDBOX_STATE: "/srv/sandbox", XDG_STATE_HOME: "/xdg" };

test("--state wins over the environment and is made absolute", () => {
  assert.equal(resolveStateDir("/tmp/s", env, "linux"), "/tmp/s");
  assert.equal(resolveStateDir("rel", env, "linux"), `${process.cwd()}/rel`);
});

test("TOBIRA_SANDBOX_STATE comes next", () => {
  assert.equal(resolveStateDir(undefined, env, "linux"), "/srv/sandbox");
});

test("then $XDG_STATE_HOME/tobira/sandbox, else ~/.local/state/tobira/sandbox", () => {
  assert.equal(
    resolveStateDir(undefined, { HOME: "/home/ann", XDG_STATE_HOME: "/xdg" }, "linux"),
    "/xdg/tobira/sandbox",
  );
  assert.equal(
    resolveStateDir(undefined, { HOME: "/home/ann" }, "linux"),
    "/home/ann/.local/state/tobira/sandbox",
  );
  // The XDG spec says a relative value is invalid and must be ignored.
  assert.equal(
    resolveStateDir(undefined, { HOME: "/home/ann", XDG_STATE_HOME: "xdg" }, "linux"),
    "/home/ann/.local/state/tobira/sandbox",
  );
});

test("on macOS, ~/Library/Application Support/tobira/sandbox", () => {
  assert.equal(
    resolveStateDir(undefined, { HOME: "/Users/ann" }, "darwin"),
    "/Users/ann/Library/Application Support/tobira/sandbox",
  );
});

test("the files of a state folder", () => {
  assert.deepEqual(sandboxPaths("/s"), {
    stateDir: "/s",
    config: "/s/config",
    credentials: "/s/credentials",
    audit: "/s/audit.jsonl",
    runRecord: "/s/sandbox.json",
    world: "/s/world.json",
    log: "/s/sandbox.log",
  });
});

test("paths printed in the export line are quoted only when a shell needs it", () => {
  assert.equal(
    shellQuote("/home/ann/.local/state/tobira/sandbox/config"),
    "/home/ann/.local/state/tobira/sandbox/config",
  );
  assert.equal(
    shellQuote("/Users/ann/Library/Application Support/tobira/sandbox/config"),
    "'/Users/ann/Library/Application Support/tobira/sandbox/config'",
  );
  assert.equal(shellQuote("/it's"), "'/it'\\''s'");
});
