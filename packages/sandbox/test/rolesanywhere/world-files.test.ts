import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { loadWorldFile, WorldError } from "../../src/world/index.js";

const EXAMPLE = fileURLToPath(new URL("../../../../examples/roles-anywhere/world.yaml", import.meta.url));

describe("the Roles Anywhere example world, with its CA bundle in a file beside it", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "tobira-ra-example-"));
    copyFileSync(EXAMPLE, join(dir, "world.yaml"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("says which file it cannot read", () => {
    assert.throws(
      () => loadWorldFile(join(dir, "world.yaml")),
      (error: unknown) =>
        error instanceof WorldError &&
        error.issues.some(
          (i) =>
            i.path.join(".") === "rolesAnywhere.trustAnchors.0.certificateBundleFile" &&
            i.message.includes(join(dir, "ca.pem")),
        ),
    );
  });

  it("reads ca.pem relative to the world file and keeps the ARNs the README shows", () => {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=lab CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
      ],
      { cwd: dir, stdio: "ignore" },
    );
    const world = loadWorldFile(join(dir, "world.yaml"));
    const ra = world.rolesAnywhere!;
    assert.equal(
      ra.trustAnchors[0]!.arn,
      "arn:aws:rolesanywhere:eu-west-1:111111111111:trust-anchor/935ab527-4a34-45c1-8575-ad2aa5f3b258",
    );
    assert.equal(
      ra.profiles[0]!.arn,
      "arn:aws:rolesanywhere:eu-west-1:111111111111:profile/42035a7a-c603-418c-a46b-7735f912a38b",
    );
    assert.match(ra.trustAnchors[0]!.certificateBundle, /^-----BEGIN CERTIFICATE-----/);
  });
});
