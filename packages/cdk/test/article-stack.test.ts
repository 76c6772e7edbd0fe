// The example app (examples/article-stack): it synthesizes offline, deploys in one go (no dependency cycle),
// and keeps the IAM policy variables literal.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${aws:…} is IAM policy-variable syntax

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { synthesizeArticleStack } from "../../../examples/article-stack/synth.js";
import { dependencyCycle, listOf } from "./stack-fixture.js";

describe("examples/article-stack", () => {
  const outdir = mkdtempSync(join(tmpdir(), "tobira-cdk-example-"));
  after(() => rmSync(outdir, { recursive: true, force: true }));
  const path = synthesizeArticleStack(outdir);
  const text = readFileSync(path, "utf8");
  const template = JSON.parse(text) as {
    Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] }>;
  };
  const ofType = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type);

  it("has no dependency cycle CloudFormation would refuse", () => {
    assert.equal(dependencyCycle(template), undefined);
  });

  it("keeps the policy variables literal (nothing swallowed by template literals)", () => {
    for (const variable of ["${aws:username}", "${aws:PrincipalTag/Project}", "${aws:userid}"]) {
      assert.ok(text.includes(variable), `${variable} is in the template`);
    }
    assert.ok(!/undefined|\[object Object\]|\$\{Token\[/.test(text));
  });

  it("has three session roles tagged with project and OS user, none allowing sts:TagSession", () => {
    const sessionRoles = ofType("AWS::IAM::Role").filter((role) =>
      listOf(role.Properties?.Tags as { Key: string; Value: string }[]).some(
        (tag) => tag.Key === "SSMSessionRunAs",
      ),
    );
    const tags = sessionRoles.map((role) =>
      Object.fromEntries(
        (role.Properties!.Tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]),
      ),
    );
    assert.deepEqual(tags, [
      { Project: "Test Project 1", SSMSessionRunAs: "os-user1" },
      { Project: "Test Project 2", SSMSessionRunAs: "os-user2" },
      { Project: "Test Project 2", SSMSessionRunAs: "os-user3" },
    ]);
    for (const role of sessionRoles) {
      assert.ok(!JSON.stringify(role.Properties!.AssumeRolePolicyDocument).includes("TagSession"));
    }
  });

  it("has two projects' tagged instances, one untagged, and the preferences resource", () => {
    const projects = ofType("AWS::EC2::Instance").map(
      (instance) =>
        (instance.Properties!.Tags as { Key: string; Value: string }[]).find((tag) => tag.Key === "Project")
          ?.Value ?? "-",
    );
    assert.deepEqual(projects, ["Test Project 1", "Test Project 2", "-"]);
    assert.equal(ofType("Custom::SessionManagerPreferences").length, 1);
  });
});
