// `tobira ssh-config` against the sandbox: the role's Project tag (iam:GetRole on itself) against each target's,
// and a "may be denied" comment on the targets of another project — which StartSession indeed refuses.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { BUILT, type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";

describe("tobira ssh-config marks what the profile may not open", {
  skip: !BUILT && "run `npm run build` first",
  timeout: 120_000,
}, () => {
  let fx: SandboxUser;
  before(async () => {
    fx = await startSandboxUser({ label: "ssh-config" });
  });
  after(async () => {
    await fx?.close();
  });

  test("project-a: web-b (project-b) is marked, web-a and db-a are not", async () => {
    const result = await fx.tobira(["ssh-config", "--profile", "project-a"]);
    assert.equal(result.code, 0, result.stderr);
    const text = result.stdout;
    assert.match(
      text,
      /^# Targets marked "may be denied" have another Project tag than role project-a-operator \('project-a'\)/m,
    );
    assert.match(
      text,
      /^# web-b \(i-\w+\) may be denied: its Project tag is 'project-b', role project-a-operator's is 'project-a'\nHost web-b$/m,
    );
    assert.doesNotMatch(text, /# web-a .*may be denied/);
    assert.doesNotMatch(text, /# db-a .*may be denied/);
    // The mark is right here: StartSession on web-b is refused for project-a.
    const denied = await fx.tobira(["run", "web-b", "--profile", "project-a", "--", "true"]);
    assert.match(denied.stderr, /AccessDeniedException/);
  });

  test("project-b: the other way round", async () => {
    const result = await fx.tobira(["ssh-config", "--profile", "project-b"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^# web-a \(i-\w+\) may be denied: its Project tag is 'project-a'/m);
    assert.doesNotMatch(result.stdout, /# web-b .*may be denied/);
  });
});
