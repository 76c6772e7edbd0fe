// `tobira port … --sessions N` through the sandbox: N sessions started (the audit log's StartSession lines),
// parallel downloads spread one per session (the agent's services log says which session dialed what), every
// byte intact, and one session ended from outside reported by name while the others keep the port serving.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { download, fileIndex } from "../fixtures/port-clients.mjs";
import { allowedStartSessions, sessionsDialing, sessionTerminator } from "../fixtures/sandbox-sessions.js";
import { BUILT, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";

const skip = !BUILT && "run `npm run build` first";
/** Guards against a hung session, not timed assertions. */
const timeout = 300_000;

async function announced(port: number, name: string): Promise<{ size: number; sha256: string }> {
  const found = (await fileIndex(port)).find((f) => f.name === name);
  assert.ok(found, `the http service lists ${name}`);
  return { size: found.size, sha256: found.sha256 };
}

describe("tobira port --sessions N through the sandbox", { skip, timeout }, () => {
  let fx: SandboxUser;
  before(async () => {
    fx = await startSandboxUser({ label: "port-sessions", keyBy: "tobira-add" });
  });
  after(async () => {
    await fx?.close();
  });

  const startSessions = () => allowedStartSessions(fx);
  /** Session ids the agent dialed web-a:80 for, one entry per connection, from the sandbox's services log. */
  const dialsBySession = () => sessionsDialing(fx, "web-a:80");

  test("--sessions 4: four sessions, four parallel 1 MiB downloads one per session, each intact", async () => {
    const before = startSessions();
    const { run, ports } = await fx.openPorts([
      "port",
      "web-a",
      "0:80",
      "--sessions",
      "4",
      "--profile",
      "project-a",
      "--quiet",
    ]);
    const ids = [...run.stdout().matchAll(/Starting session with SessionId: (\S+)/g)].map((m) => m[1]!);
    assert.equal(ids.length, 4, run.stdout());
    assert.equal(new Set(ids).size, 4);
    assert.equal(startSessions() - before, 4, "four StartSession calls in the audit log");
    assert.match(run.stdout(), new RegExp(`Port ${ports[0]} opened for sessions ${ids.join(", ")}\\.`));

    const expected = await announced(ports[0]!, "1MiB.bin");
    const dialsBefore = dialsBySession().length;
    const got = await Promise.all(Array.from({ length: 4 }, () => download(ports[0]!, "/files/1MiB.bin")));
    for (const one of got) assert.deepEqual([one.size, one.sha256], [expected.size, expected.sha256]);
    const carriers = dialsBySession().slice(dialsBefore);
    assert.deepEqual([...carriers].sort(), [...ids].sort(), "each download went over its own session");

    run.child.kill("SIGINT");
    assert.equal(await run.exited, 0);
    assert.match(run.stderr(), /Ctrl-C: ending 4 session\(s\)\.\.\./);
    for (const id of ids) assert.match(run.stderr(), new RegExp(`Session ${id} terminated\\.`));
  });

  test("one of three sessions ended from outside: named in one line, the port goes on with the other two", async () => {
    const { run, ports } = await fx.openPorts([
      "port",
      "web-a",
      "0:80",
      "--sessions",
      "3",
      "--profile",
      "project-a",
      "--quiet",
    ]);
    const ids = [...run.stdout().matchAll(/Starting session with SessionId: (\S+)/g)].map((m) => m[1]!);
    assert.equal(ids.length, 3);
    // As `aws ssm terminate-session` would, with the role's own credentials.
    await (await sessionTerminator(fx, "project-a"))(ids[1]!);
    await run.waitFor(
      new RegExp(`session ${ids[1]} \\(2 of 3\\) of port ${ports[0]} was ended by the service`),
    );
    await run.waitFor(new RegExp(`Port ${ports[0]} goes on with 2 of 3 sessions\\.`));

    const expected = await announced(ports[0]!, "1MiB.bin");
    const dialsBefore = dialsBySession().length;
    const got = await Promise.all(Array.from({ length: 2 }, () => download(ports[0]!, "/files/1MiB.bin")));
    for (const one of got) assert.deepEqual([one.size, one.sha256], [expected.size, expected.sha256]);
    const carriers = dialsBySession().slice(dialsBefore);
    assert.ok(!carriers.includes(ids[1]!), "nothing goes to the ended session");

    run.child.kill("SIGINT");
    await run.exited;
    assert.match(run.stderr(), /Ctrl-C: ending 2 session\(s\)\.\.\./);
  });

  test("--sessions out of range is refused before anything starts", async () => {
    const before = startSessions();
    const result = await fx.tobira(["port", "web-a", "0:80", "--sessions", "0", "--profile", "project-a"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--sessions '0' is not a number of sessions from 1 to 16/);
    assert.match(result.stderr, /hint: /);
    assert.equal(startSessions(), before);
  });
});
