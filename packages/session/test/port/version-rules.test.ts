// §3.6 and §7.2: the version comparisons of each official side and the decisions built on them.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  agentPortMode,
  agentSmuxKeepAlive,
  clientPortMode,
  clientSmuxKeepAlive,
  clientUsesTerminateFlag,
  compareAgentVersions,
  comparePluginVersions,
} from "../../src/port/version-rules.js";

const LOCAL = { type: "LocalPortForwarding", portNumber: "80" };

describe("mode selection (§7.2) by agent version, client side", () => {
  const table: [agentVersion: string, properties: unknown, mode: string][] = [
    ["3.0.196.1", LOCAL, "mux"],
    ["3.3.987.0", LOCAL, "mux"],
    ["3.0.196.0", LOCAL, "basic"], // strictly greater is required
    ["3.0.195.9", LOCAL, "basic"],
    ["2.3.722.0", LOCAL, "basic"],
    ["3.3.987", LOCAL, "basic"], // 3 parts vs the 4-part threshold: comparison fails ⇒ unsupported
    ["3.3.987.0-beta", LOCAL, "basic"], // non-numeric component ⇒ unsupported
    ["", LOCAL, "basic"], // no HandshakeRequest ⇒ empty version
    ["3.3.987.0", { portNumber: "22" }, "stream"], // AWS-StartSSHSession has no type
    ["3.3.987.0", { type: "", portNumber: "22" }, "stream"],
    ["3.3.987.0", null, "stream"],
    ["3.3.987.0", { type: "SomethingElse" }, "stream"],
  ];
  for (const [version, properties, mode] of table)
    it(`agent ${JSON.stringify(version)}, properties ${JSON.stringify(properties)} ⇒ ${mode}`, () => {
      assert.equal(clientPortMode(version, properties), mode);
    });
});

describe("mode selection (§7.2) by client version, agent side", () => {
  const table: [clientVersion: string, properties: unknown, mode: string, endOnClose: boolean][] = [
    ["1.1.70", LOCAL, "mux", false], // ≥, SemVer both sides
    ["1.2.0", LOCAL, "mux", false],
    ["1.2.764.0", LOCAL, "mux", false], // 4 parts: component-wise
    ["1.1.70.0", LOCAL, "mux", false], // longer wins when the common part is equal
    ["1.1.69", LOCAL, "basic", false],
    ["1.1.9", LOCAL, "basic", false], // numeric, not string, order: 9 < 70
    ["0.0.1", LOCAL, "basic", false], // mmmorris1975 forces basic this way
    ["", LOCAL, "basic", false],
    ["1.2.764.0", { portNumber: "22" }, "basic", true], // SSH: basic, destination EOF ends the session
  ];
  for (const [version, properties, mode, endOnClose] of table)
    it(`client ${JSON.stringify(version)}, properties ${JSON.stringify(properties)} ⇒ ${mode}`, () => {
      assert.deepEqual(agentPortMode(version, properties), { mode, endOnDestinationClose: endOnClose });
    });
});

describe("other §3.6 thresholds", () => {
  it("TerminateSession flag only for agents > 2.3.722.0", () => {
    assert.equal(clientUsesTerminateFlag("2.3.722.0"), false);
    assert.equal(clientUsesTerminateFlag("2.3.722.1"), true);
    assert.equal(clientUsesTerminateFlag("3.3.987.0"), true);
    assert.equal(clientUsesTerminateFlag("3.3.987"), false);
    assert.equal(clientUsesTerminateFlag(""), false);
  });
  it("smux keepalive: off for agents > 3.1.1511.0 (client) and clients > 1.2.331.0 (agent)", () => {
    assert.equal(clientSmuxKeepAlive("3.1.1511.0"), true);
    assert.equal(clientSmuxKeepAlive("3.1.1511.1"), false);
    assert.equal(agentSmuxKeepAlive("1.2.331.0"), true);
    assert.equal(agentSmuxKeepAlive("1.2.331.1"), false);
    assert.equal(agentSmuxKeepAlive("1.2.764.0"), false);
  });
  it("the two comparison rules differ where the spec says they do", () => {
    assert.equal(comparePluginVersions("1.2.3", "1.2.3.0"), undefined);
    assert.equal(compareAgentVersions("1.2.3", "1.2.3.0"), -1);
    assert.equal(comparePluginVersions("3.0.196.10", "3.0.196.9"), 1);
    assert.equal(compareAgentVersions("1.10.0", "1.9.0"), 1);
    assert.equal(compareAgentVersions("1.2.a", "1.2.b"), -1); // non-SemVer parts compare as strings
  });
});
