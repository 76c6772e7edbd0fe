import assert from "node:assert/strict";
import { test } from "node:test";
import { remoteCommandLine } from "../../src/sessions/run/remote-command.js";

test("one argument is a command line, passed as it is", () => {
  assert.equal(remoteCommandLine(["echo $HOME; uptime"]), "echo $HOME; uptime");
});

test("several arguments are quoted so the remote shell sees the same argv", () => {
  assert.equal(
    remoteCommandLine(["sh", "-c", "echo out; echo err >&2; exit 4"]),
    "sh -c 'echo out; echo err >&2; exit 4'",
  );
  assert.equal(remoteCommandLine(["printf", "%s\\n", "it's", ""]), "printf '%s\\n' 'it'\\''s' ''");
  assert.equal(remoteCommandLine(["ls", "-l", "/var/log"]), "ls -l /var/log");
});
