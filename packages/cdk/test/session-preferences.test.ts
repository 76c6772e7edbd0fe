// SessionPreferences: the document content the schema wants, the recognizable custom resource, and the
// handler's create-or-update behaviour run against a fake SSM (the inline code itself, in a VM context).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runInNewContext } from "node:vm";
import { Duration } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as kms from "aws-cdk-lib/aws-kms";
import {
  ConstructPropsError,
  PREFERENCES_RESOURCE_TYPE,
  preferencesContent,
  SessionPreferences,
} from "../src/index.js";
import { PREFERENCES_HANDLER_SOURCE } from "../src/preferences-handler-source.js";
import { testStack } from "./stack-fixture.js";

describe("SessionPreferences content", () => {
  it("writes minutes as strings and flags as booleans", () => {
    const content = preferencesContent({
      runAsDefaultUser: "os-default",
      idleSessionTimeout: Duration.minutes(15),
      maxSessionDuration: Duration.hours(2),
      shellProfile: { linux: "exec bash" },
    });
    assert.equal(content.schemaVersion, "1.0");
    assert.equal(content.sessionType, "Standard_Stream");
    assert.equal(content.inputs.idleSessionTimeout, "15");
    assert.equal(content.inputs.maxSessionDuration, "120");
    assert.equal(content.inputs.runAsEnabled, true);
    assert.equal(content.inputs.runAsDefaultUser, "os-default");
    assert.equal(content.inputs.s3EncryptionEnabled, true);
    assert.deepEqual(content.inputs.shellProfile, { linux: "exec bash", windows: "" });
  });

  it("keeps Run As off and the defaults without props", () => {
    const { inputs } = preferencesContent({});
    assert.equal(inputs.runAsEnabled, false);
    assert.equal(inputs.idleSessionTimeout, "20");
    assert.equal(inputs.maxSessionDuration, "");
    assert.equal(inputs.kmsKeyId, "");
  });

  for (const [what, props] of [
    ["an idle timeout over 60 minutes", { idleSessionTimeout: Duration.minutes(61) }],
    ["a session limit of a fraction of a minute", { maxSessionDuration: Duration.seconds(90) }],
    ["a session limit over a day", { maxSessionDuration: Duration.minutes(1441) }],
    ["root as default user", { runAsDefaultUser: "root" }],
  ] as const) {
    it(`refuses ${what}`, () => {
      assert.throws(() => preferencesContent(props), ConstructPropsError);
    });
  }
});

describe("SessionPreferences resource", () => {
  it("is a Custom::SessionManagerPreferences for SSM-SessionManagerRunShell with the key's ARN in its content", () => {
    const stack = testStack();
    const key = new kms.Key(stack, "Key");
    new SessionPreferences(stack, "Preferences", { kmsKey: key, runAsDefaultUser: "os-default" });
    const template = Template.fromStack(stack);
    const resources = template.findResources(PREFERENCES_RESOURCE_TYPE);
    const [resource] = Object.values(resources);
    assert.ok(resource, "the template carries the preferences resource");
    assert.equal(resource.Properties.DocumentName, "SSM-SessionManagerRunShell");
    const join = resource.Properties.Content["Fn::Join"] as [string, unknown[]];
    const keyId = stack.getLogicalId(key.node.defaultChild as never);
    const text = join[1]
      .map((part) =>
        typeof part === "string" ? part : `<${(part as { "Fn::GetAtt": string[] })["Fn::GetAtt"].join(".")}>`,
      )
      .join("");
    const content = JSON.parse(text);
    assert.equal(content.inputs.kmsKeyId, `<${keyId}.Arn>`);
    assert.equal(content.inputs.runAsEnabled, true);
    assert.equal(content.inputs.idleSessionTimeout, "20");
    // The handler may write exactly this document.
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: [
          {
            Action: [
              "ssm:CreateDocument",
              "ssm:DescribeDocument",
              "ssm:UpdateDocument",
              "ssm:UpdateDocumentDefaultVersion",
            ],
            Resource: {
              "Fn::Join": [
                "",
                [
                  "arn:",
                  { Ref: "AWS::Partition" },
                  ":ssm:ap-northeast-1:111111111111:document/SSM-SessionManagerRunShell",
                ],
              ],
            },
          },
        ],
      },
    });
  });
});

/** A fake SSM holding at most the one document, recording every call. */
class FakeSsm {
  calls: string[] = [];
  versions: string[] = [];
  defaultVersion = "";
  constructor(existing?: string) {
    if (existing !== undefined) {
      this.versions = [existing];
      this.defaultVersion = "1";
    }
  }
  send(command: { kind: string; input: Record<string, string> }): unknown {
    this.calls.push(command.kind);
    const error = (name: string) => Object.assign(new Error(name), { name });
    switch (command.kind) {
      case "UpdateDocument": {
        if (this.versions.length === 0) throw error("InvalidDocument");
        if (this.versions.at(-1) === command.input.Content) throw error("DuplicateDocumentContent");
        this.versions.push(command.input.Content!);
        return { DocumentDescription: { DocumentVersion: String(this.versions.length) } };
      }
      case "UpdateDocumentDefaultVersion":
        this.defaultVersion = command.input.DocumentVersion!;
        return {};
      case "DescribeDocument":
        return {
          Document: { LatestVersion: String(this.versions.length), DefaultVersion: this.defaultVersion },
        };
      case "CreateDocument":
        if (this.versions.length > 0) throw error("DocumentAlreadyExists");
        this.versions.push(command.input.Content!);
        this.defaultVersion = "1";
        return {};
      default:
        throw error(`unexpected ${command.kind}`);
    }
  }
}

async function runHandler(ssm: FakeSsm, requestType: string, content = '{"v":2}') {
  const replies: Record<string, unknown>[] = [];
  const commandClass = (kind: string) =>
    class {
      readonly kind = kind;
      constructor(readonly input: Record<string, string>) {}
    };
  const clientModule = {
    SSMClient: class {
      send = async (command: { kind: string; input: Record<string, string> }) => ssm.send(command);
    },
    UpdateDocumentCommand: commandClass("UpdateDocument"),
    UpdateDocumentDefaultVersionCommand: commandClass("UpdateDocumentDefaultVersion"),
    DescribeDocumentCommand: commandClass("DescribeDocument"),
    CreateDocumentCommand: commandClass("CreateDocument"),
  };
  const module = { exports: {} as { handler?: (event: unknown) => Promise<void> } };
  runInNewContext(PREFERENCES_HANDLER_SOURCE, {
    module,
    exports: module.exports,
    require: (name: string) => {
      assert.equal(name, "@aws-sdk/client-ssm");
      return clientModule;
    },
    fetch: async (url: string, init: { method: string; body: string }) => {
      assert.equal(url, "https://cloudformation-response.example/reply");
      assert.equal(init.method, "PUT");
      replies.push(JSON.parse(init.body));
      return {};
    },
    String,
    JSON,
  });
  await module.exports.handler!({
    RequestType: requestType,
    ResponseURL: "https://cloudformation-response.example/reply",
    StackId: "stack",
    RequestId: "request",
    LogicalResourceId: "Preferences",
    ResourceProperties: { DocumentName: "SSM-SessionManagerRunShell", Content: content },
  });
  assert.equal(replies.length, 1, "the handler answers CloudFormation exactly once");
  return replies[0]!;
}

describe("SessionPreferences handler", () => {
  it("creates the document when the account has none", async () => {
    const ssm = new FakeSsm();
    const reply = await runHandler(ssm, "Create");
    assert.deepEqual(ssm.calls, ["UpdateDocument", "CreateDocument"]);
    assert.equal(reply.Status, "SUCCESS");
    assert.equal(reply.Reason, "created");
    assert.equal(reply.PhysicalResourceId, "SSM-SessionManagerRunShell");
    assert.deepEqual(ssm.versions, ['{"v":2}']);
  });

  it("updates an existing document (saved from the console) and makes the new version the default", async () => {
    const ssm = new FakeSsm('{"v":1}');
    const reply = await runHandler(ssm, "Create");
    assert.deepEqual(ssm.calls, ["UpdateDocument", "UpdateDocumentDefaultVersion"]);
    assert.equal(reply.Reason, "updated");
    assert.equal(ssm.defaultVersion, "2");
  });

  it("accepts unchanged content and still makes the latest version the default", async () => {
    const ssm = new FakeSsm('{"v":2}');
    ssm.versions.push('{"v":2}'.replace("2", "3"), '{"v":2}');
    const reply = await runHandler(ssm, "Update");
    assert.deepEqual(ssm.calls, ["UpdateDocument", "DescribeDocument", "UpdateDocumentDefaultVersion"]);
    assert.equal(reply.Reason, "unchanged");
    assert.equal(ssm.defaultVersion, "3");
  });

  it("keeps the preferences on stack deletion", async () => {
    const ssm = new FakeSsm('{"v":1}');
    const reply = await runHandler(ssm, "Delete");
    assert.deepEqual(ssm.calls, []);
    assert.equal(reply.Status, "SUCCESS");
  });

  it("reports a failure to CloudFormation instead of hanging", async () => {
    const ssm = new FakeSsm();
    ssm.send = () => {
      throw Object.assign(new Error("User is not authorized to perform: ssm:UpdateDocument"), {
        name: "AccessDeniedException",
      });
    };
    const reply = await runHandler(ssm, "Create");
    assert.equal(reply.Status, "FAILED");
    assert.match(String(reply.Reason), /not authorized/);
  });
});
