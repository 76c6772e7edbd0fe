// `tobira demo` through the built CLI: the narrated flow runs against a fresh sandbox and decides as AWS would.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { makeStateDir, tobira } from "../sandbox/built-cli.js";

describe("tobira demo", () => {
  const state = makeStateDir("demo");
  after(() => state.remove());

  test("walks through a signed call, MFA AssumeRole and two denials, within 100 columns", async () => {
    const result = await tobira(["demo"]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const out = result.stdout;
    assert.match(out, /── 1\/\d+ {2}A signed call/);
    assert.match(out, /Arn:\s+arn:aws:iam::111111111111:user\/alice/);
    assert.match(out, /assumed role:\s+arn:aws:sts::222222222222:assumed-role\/Role-for-switch\/tobira-demo/);
    assert.match(out, /sts:AssumeRole without MFA: denied\n\s+AccessDenied: /);
    assert.match(out, /sts:AssumeRole as carol: denied\n\s+AccessDenied: .*user\/carol/);
    assert.doesNotMatch(out, /expected: /, "no call ended other than AWS would decide it");
    const auditLines = out.slice(out.indexOf("What decided each call")).match(/^ {2}line \d+ {2}/gm) ?? [];
    assert.equal(auditLines.length, 5, `one audit line per call:\n${out}`);
    for (const line of out.split("\n"))
      assert.ok([...line].length <= 100, `longer than 100 columns: ${line}`);
    const temp = /^ {2}config: +(\S+)\/config$/m.exec(out)?.[1];
    assert.ok(temp && !existsSync(temp), "the temporary state folder is removed afterwards");
  });

  test("with --state, the sandbox's files stay and the audit log holds the decisions", async () => {
    const result = await tobira(["demo", "--state", state.dir]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /files stay in/);
    const entries = readFileSync(join(state.dir, "audit.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const decisions = entries.filter((e) => e.action === "AssumeRole").map((e) => e.decision);
    assert.ok(decisions.includes("Allow"), JSON.stringify(decisions));
    assert.ok(
      decisions.some((d) => d === "ExplicitDeny" || d === "ImplicitDeny"),
      JSON.stringify(decisions),
    );
  });
});
