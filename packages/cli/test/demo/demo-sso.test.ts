// `tobira demo sso` through the built CLI: one device-flow sign-in approved by dave, the permission set's role
// through credential_process, a Session Manager command allowed and one refused, a chained role, a denial.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cleanEnv, tobira } from "../sandbox/built-cli.js";

describe("tobira demo sso", () => {
  test("runs every step as AWS would decide it, within 100 columns, no secret printed whole", async () => {
    const result = await tobira(["demo", "sso"]);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const out = result.stdout;
    for (const title of [
      "dave signs in to IAM Identity Center once, with the device flow",
      "the permission set's role through credential_process, from GetRoleCredentials",
      "a Session Manager command with the SSO profile",
      "role chaining: source_profile = an SSO profile",
      "a request dave denies",
      "dave signs out, as `aws sso logout` does",
    ]) {
      assert.match(out, new RegExp(`── \\d/6 {2}${title}`));
    }
    assert.match(out, /# tobira sandbox sso approve [A-Z]{4}-[A-Z]{4} --user dave\n\s+dave approved/);
    assert.match(
      out,
      /fields:\s+startUrl, region, accessToken, expiresAt\n\s+fields:\s+refreshToken, clientId/,
    );
    assert.match(out, /assumed-role\/AWSReservedSSO_SessionOperator_[0-9a-f]{16}\/dave/);
    assert.match(out, /"SecretAccessKey":"[^"]{4}…"/);
    assert.match(out, /CreateToken\(device_code\)\s+AccessDeniedException/);
    assert.match(out, /signed out of sso-session sandbox and removed/);
    assert.match(out, /Logout\s+Allow\s+dave/);
    assert.match(out, /doctor's sso-token step fails with the login command: as expected/);
    assert.match(out, /Everything ended as expected/);
    assert.doesNotMatch(out, /NOT AS EXPECTED/);
    assert.doesNotMatch(out, /"accessToken"|aoa[A-Za-z0-9_-]{20}/, "no access token printed");
    for (const line of out.split("\n")) assert.ok(line.length <= 100, line);
  });

  test("narrates within an 80-column terminal's width when COLUMNS says so", async () => {
    const result = await tobira(["demo", "sso"], cleanEnv({ COLUMNS: "80" }));
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /── 1\/6 {2}.* ─+\n/);
    // Headings and narration; the commands' own output (a doctor table, four spaces in) is quoted as it is.
    const narration = result.stdout.split("\n").filter((line) => !line.startsWith("    "));
    for (const line of narration) assert.ok(line.length <= 80, line);
  });
});
