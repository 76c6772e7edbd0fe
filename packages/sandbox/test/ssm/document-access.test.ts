import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type SSMClient, StartSessionCommand } from "@aws-sdk/client-ssm";
import type { Statement } from "../../src/policy/types.js";
import { defaultWorld } from "../../src/world/index.js";
import type { World } from "../../src/world/model.js";
import { awsError, startTestSandbox, type TestSandbox } from "../server/sandbox-fixture.js";
import { clients, operatorRoles, REGION, WEB_A, WORKLOAD } from "./workload-clients.js";

/** The default world with SessionManagerByProject's statements changed by `edit`. */
function worldWith(edit: (statements: Statement[]) => Statement[]): World {
  const world = structuredClone(defaultWorld());
  const policy = world.managedPolicies.find((p) => p.name === "SessionManagerByProject")!;
  const statements = policy.document.Statement as Statement[];
  policy.document = { ...policy.document, Statement: edit(statements) };
  return world;
}

const onlyShellDocument = (statements: Statement[]) =>
  statements.map((s) =>
    s.Sid === "StartSessionWithTheseDocuments"
      ? { ...s, Resource: `arn:aws:ssm:*:${WORKLOAD}:document/SSM-SessionManagerRunShell` }
      : s,
  );

const noDocumentGrant = (statements: Statement[]) =>
  statements.filter((s) => s.Sid !== "StartSessionWithTheseDocuments");

const withoutAccessCheck = (statements: Statement[]) =>
  noDocumentGrant(statements).map((s) => {
    if (s.Sid !== "StartSessionOnOwnProjectInstances") return s;
    const { BoolIfExists: _dropped, ...rest } = s.Condition ?? {};
    return { ...s, Condition: rest };
  });

async function operatorOf(world: World): Promise<{ t: TestSandbox; ssm: SSMClient }> {
  const t = await startTestSandbox({ world });
  const roles = await operatorRoles(t, "alice", ["project-a-operator"]);
  return { t, ssm: clients(t, roles["project-a-operator"]!).ssm };
}

const principal = `arn:aws:sts::${WORKLOAD}:assumed-role/project-a-operator/alice-session`;

describe("StartSession's document authorization", () => {
  const sandboxes: TestSandbox[] = [];
  after(async () => {
    for (const t of sandboxes) await t.dispose();
  });

  describe("when only the shell document is granted", () => {
    let ssm: SSMClient;
    before(async () => {
      const started = await operatorOf(worldWith(onlyShellDocument));
      sandboxes.push(started.t);
      ssm = started.ssm;
    });

    it("denies a document the policy does not grant, naming the AWS-owned document's ARN", async () => {
      const denied = await awsError(
        ssm.send(
          new StartSessionCommand({
            Target: WEB_A,
            DocumentName: "AWS-StartPortForwardingSession",
            Parameters: { portNumber: ["80"] },
          }),
        ),
      );
      assert.equal(denied.name, "AccessDeniedException");
      assert.equal(
        denied.message,
        `User: ${principal} is not authorized to perform: ssm:StartSession on resource: arn:aws:ssm:${REGION}::document/AWS-StartPortForwardingSession because no identity-based policy allows the ssm:StartSession action`,
      );
    });

    it("still opens the default shell", async () => {
      const started = await ssm.send(new StartSessionCommand({ Target: WEB_A }));
      assert.match(started.SessionId!, /^alice-session-/);
    });
  });

  describe("when no document is granted", () => {
    it("checks the default document because the instance grant tests ssm:SessionDocumentAccessCheck", async () => {
      const { t, ssm } = await operatorOf(worldWith(noDocumentGrant));
      sandboxes.push(t);
      const denied = await awsError(ssm.send(new StartSessionCommand({ Target: WEB_A })));
      assert.equal(denied.name, "AccessDeniedException");
      assert.equal(
        denied.message,
        `User: ${principal} is not authorized to perform: ssm:StartSession on resource: arn:aws:ssm:${REGION}:${WORKLOAD}:document/SSM-SessionManagerRunShell because no identity-based policy allows the ssm:StartSession action`,
      );
    });

    it("skips the default document's check when the instance grant does not opt in (AWS's documented gap)", async () => {
      const { t, ssm } = await operatorOf(worldWith(withoutAccessCheck));
      sandboxes.push(t);
      const started = await ssm.send(new StartSessionCommand({ Target: WEB_A }));
      assert.match(started.SessionId!, /^alice-session-/);
      // A named document is always checked.
      const denied = await awsError(
        ssm.send(new StartSessionCommand({ Target: WEB_A, DocumentName: "SSM-SessionManagerRunShell" })),
      );
      assert.equal(denied.name, "AccessDeniedException");
    });
  });
});
