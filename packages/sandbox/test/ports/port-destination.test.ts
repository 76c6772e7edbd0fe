import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  deniedHostRefusal,
  destinationOf,
  type PortRequest,
  portRequestOf,
} from "../../src/agents/port-destination.js";
import { portForwardingPlugin } from "../../src/agents/port-forwarding-plugin.js";
import type { SessionRecord } from "../../src/services/ssm/session-store.js";
import { defaultWorld } from "../../src/world/index.js";

const world = defaultWorld();
const webA = world.instances.find((i) => i.name === "web-a")!;
const dbA = world.instances.find((i) => i.name === "db-a")!;

function sessionWith(properties: Record<string, unknown>): SessionRecord {
  return { properties, sessionId: "s-1", documentName: "AWS-StartPortForwardingSession" } as SessionRecord;
}

describe("port destinations: the agent's deny list", () => {
  for (const host of [
    "169.254.169.254",
    "::ffff:169.254.169.254",
    "[fd00:ec2::254]",
    "fd00:ec2:0:0:0:0:0:254",
    "169.254.169.253",
    "169.254.169.123",
    "fd00:ec2::123",
    "169.254.169.250",
    "169.254.169.251",
    "fd00:ec2::250",
    "instance-data.ec2.internal",
  ]) {
    it(`refuses ${host} with the agent's message`, () => {
      assert.equal(deniedHostRefusal(host), `Forwarding to IP address ${host} is forbidden.`);
    });
  }

  for (const host of ["10.0.1.11", "169.254.169.1", "fd00:ec2::1", "db.internal", "localhost"]) {
    it(`does not refuse ${host} (only the listed addresses are denied)`, () => {
      assert.equal(deniedHostRefusal(host), undefined);
    });
  }

  it("refuses the session before it connects when the host is denied or the port is missing", () => {
    const refusal = portForwardingPlugin.refusal!;
    assert.equal(
      refusal(sessionWith({ portNumber: "80", host: "169.254.169.254", type: "LocalPortForwarding" })),
      "Forwarding to IP address 169.254.169.254 is forbidden.",
    );
    assert.match(
      refusal(sessionWith({ portNumber: "" })) ?? "",
      /^Port number is empty in session properties\./,
    );
    assert.match(refusal(sessionWith({ portNumber: "70000" })) ?? "", /not a TCP port/);
    assert.equal(refusal(sessionWith({ portNumber: "22" })), undefined);
  });
});

describe("port destinations: what an instance reaches in the world", () => {
  const request = (host: string, port: number): PortRequest => ({ host, port });

  it("reads portNumber and host from the session properties", () => {
    assert.deepEqual(portRequestOf(sessionWith({ portNumber: "5432", host: " 10.0.1.11 " })), {
      port: 5432,
      host: "10.0.1.11",
    });
    assert.deepEqual(portRequestOf(sessionWith({ portNumber: "80" })), { port: 80, host: "" });
  });

  for (const host of [
    "",
    "localhost",
    "127.0.0.1",
    "10.0.1.10",
    "ip-10-0-1-10.ap-northeast-1.compute.internal",
  ]) {
    it(`takes ${JSON.stringify(host)} as web-a itself`, () => {
      const d = destinationOf(world, webA, request(host, 80));
      assert.ok(d.ok);
      assert.equal(d.instance, webA);
      assert.equal(d.label, "web-a:80");
    });
  }

  it("lands on db-a for the addresses web-a's reachableHosts list", () => {
    for (const host of ["10.0.1.11", "IP-10-0-1-11.ap-northeast-1.compute.internal"]) {
      const d = destinationOf(world, webA, request(host, 5432));
      assert.ok(d.ok, host);
      assert.equal(d.instance, dbA);
      assert.equal(d.label, "db-a:5432");
    }
  });

  it("refuses a listed host on another port, and a host the instance cannot reach", () => {
    const otherPort = destinationOf(world, webA, request("10.0.1.11", 22));
    assert.equal(otherPort.ok, false);
    assert.match(!otherPort.ok ? otherPort.reason : "", /10\.0\.1\.11:22 is not reachable from web-a/);
    const webB = destinationOf(world, webA, request("10.0.1.20", 80));
    assert.equal(webB.ok, false);
    assert.match(!webB.ok ? webB.reason : "", /it reaches 10\.0\.1\.11:5432/);
    const fromDb = destinationOf(world, dbA, request("10.0.1.10", 80));
    assert.equal(fromDb.ok, false);
    assert.match(!fromDb.ok ? fromDb.reason : "", /it reaches nothing/);
  });
});
