import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { findOsAccount } from "../../src/agents/os-users.js";
import { resolveRunAs, sessionEnvironment } from "../../src/agents/run-as.js";
import type { SessionRecord } from "../../src/services/ssm/session-store.js";

const dir = mkdtempSync(join(tmpdir(), "tobira-runas-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const passwd = join(dir, "passwd");
writeFileSync(
  passwd,
  [
    "root:x:0:0:root:/root:/bin/bash",
    "os-user1:x:1001:1002:Operator:/home/os-user1:/bin/bash",
    "toor:x:0:0:another root:/root:/bin/sh",
    "broken:x:abc:1::/:/bin/sh",
    "",
  ].join("\n"),
);
const lookup = (name: string) => findOsAccount(name, passwd);

function session(
  tags: Record<string, string>,
  runAsEnabled = true,
  runAsDefaultUser = "ssm-user",
): SessionRecord {
  return {
    principal: { tags },
    preferences: { runAsEnabled, runAsDefaultUser },
  } as unknown as SessionRecord;
}

describe("Run As", () => {
  it("reads passwd entries", () => {
    assert.deepEqual(lookup("os-user1"), {
      name: "os-user1",
      uid: 1001,
      gid: 1002,
      home: "/home/os-user1",
      shell: "/bin/bash",
    });
    assert.equal(lookup("broken"), undefined);
    assert.equal(lookup("nobody-here"), undefined);
    assert.equal(findOsAccount("x", join(dir, "missing")), undefined);
  });

  it("switches to the tagged user when the sandbox is root and the account exists", () => {
    const outcome = resolveRunAs(session({ SSMSessionRunAs: "os-user1" }), {
      stateDir: dir,
      processUid: 0,
      lookup,
    });
    assert.deepEqual(outcome, {
      ok: true,
      identity: { user: "os-user1", home: "/home/os-user1", shell: "/bin/bash", uid: 1001, gid: 1002 },
    });
  });

  it("pretends, with a private HOME under the state folder and a note, when it cannot switch", () => {
    const outcome = resolveRunAs(session({ SSMSessionRunAs: "os-user1" }), {
      stateDir: dir,
      processUid: 1000,
      lookup,
    });
    assert.ok(outcome.ok);
    assert.equal(outcome.identity.uid, undefined);
    assert.equal(outcome.identity.home, join(dir, "home", "os-user1"));
    assert.equal(statSync(outcome.identity.home).mode & 0o777, 0o700);
    assert.match(outcome.identity.note ?? "", /cannot switch user/);
    const env = sessionEnvironment(outcome.identity);
    assert.equal(env.USER, "os-user1");
    assert.equal(env.LOGNAME, "os-user1");
    assert.equal(env.HOME, outcome.identity.home);
    assert.equal(env.AWS_SECRET_ACCESS_KEY, undefined);
  });

  it("uses runAsDefaultUser without a tag, ssm-user when Run As is off", () => {
    const fallback = resolveRunAs(session({}, true, "os-user1"), { stateDir: dir, processUid: 0, lookup });
    assert.ok(fallback.ok && fallback.identity.user === "os-user1");
    const off = resolveRunAs(session({ SSMSessionRunAs: "os-user1" }, false), {
      stateDir: dir,
      processUid: 0,
      lookup,
    });
    assert.ok(off.ok && off.identity.user === "ssm-user" && off.identity.note !== undefined);
  });

  it("refuses root by name and by uid 0, and names that are not user names", () => {
    assert.deepEqual(
      resolveRunAs(session({ SSMSessionRunAs: "root" }), { stateDir: dir, processUid: 0, lookup }),
      {
        ok: false,
        reason: "Run As never allows the root user.",
      },
    );
    const toor = resolveRunAs(session({ SSMSessionRunAs: "toor" }), { stateDir: dir, processUid: 0, lookup });
    assert.equal(toor.ok, false);
    const odd = resolveRunAs(session({ SSMSessionRunAs: "../etc" }), {
      stateDir: dir,
      processUid: 0,
      lookup,
    });
    assert.equal(odd.ok, false);
  });
});
