// LOCAL:REMOTE parsing and the document each mapping's session starts with.
import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../../src/errors.js";
import {
  parsePortMapping,
  parsePortMappings,
  portForwardingDocument,
  sshDocument,
} from "../../src/sessions/port/port-mappings.js";

test("LOCAL:REMOTE, one port for both, and 0 for a free local port", () => {
  assert.deepEqual(parsePortMapping("8080:80"), { localPort: 8080, remotePort: 80, text: "8080:80" });
  assert.deepEqual(parsePortMapping("5432"), { localPort: 5432, remotePort: 5432, text: "5432" });
  assert.deepEqual(parsePortMapping("0:22"), { localPort: 0, remotePort: 22, text: "0:22" });
});

test("bad mappings are usage errors with a hint", () => {
  for (const bad of ["80:0", "0", "65536:80", "a:80", "1:2:3", ":80", "80:", "-1:80", "8080:80x"]) {
    assert.throws(
      () => parsePortMapping(bad),
      (error: unknown) => {
        assert.ok(error instanceof UsageError, bad);
        assert.equal(error.exitCode, 2);
        assert.ok(error.hint);
        return true;
      },
    );
  }
  assert.throws(() => parsePortMappings([]), /no port mapping given/);
  assert.throws(() => parsePortMappings(["8080:80", "8080:443"]), /local port 8080 is given twice/);
  assert.equal(parsePortMappings(["0:80", "0:443"]).length, 2);
});

test("the instance's own port, a remote host, and SSH", () => {
  const mapping = parsePortMapping("15432:5432");
  assert.deepEqual(portForwardingDocument(mapping), {
    documentName: "AWS-StartPortForwardingSession",
    parameters: { portNumber: ["5432"], localPortNumber: ["15432"] },
  });
  assert.deepEqual(portForwardingDocument(mapping, "10.0.1.11"), {
    documentName: "AWS-StartPortForwardingSessionToRemoteHost",
    parameters: { host: ["10.0.1.11"], portNumber: ["5432"], localPortNumber: ["15432"] },
  });
  assert.deepEqual(sshDocument(22), {
    documentName: "AWS-StartSSHSession",
    parameters: { portNumber: ["22"] },
  });
});
