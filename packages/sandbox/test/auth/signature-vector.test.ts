import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signatureMatches } from "../../src/auth/signature-check.js";
import { parseAmzDate, readSignatureClaim } from "../../src/auth/signature-claim.js";
import type { IncomingAwsRequest } from "../../src/server/incoming-request.js";

// AWS's published SigV4 test suite, case "get-vanilla": GET / on example.amazonaws.com, signed at
// 20150830T123600Z for us-east-1/service with the suite's example key.
const SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const GET_VANILLA_SIGNATURE = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

function getVanilla(signature = GET_VANILLA_SIGNATURE): IncomingAwsRequest {
  return {
    method: "GET",
    rawPath: "/",
    query: new Map(),
    headers: {
      host: ["example.amazonaws.com"],
      "x-amz-date": ["20150830T123600Z"],
      "user-agent": ["not signed, must not matter"],
      authorization: [
        `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
      ],
    },
    body: Buffer.alloc(0),
    sourceIp: "127.0.0.1",
  };
}

describe("SigV4 verification", () => {
  it("reads the Authorization header's claim", () => {
    const claim = readSignatureClaim(getVanilla(), "query");
    assert.equal(claim.accessKeyId, "AKIDEXAMPLE");
    assert.deepEqual(claim.scope, { date: "20150830", region: "us-east-1", service: "service" });
    assert.deepEqual(claim.signedHeaders, ["host", "x-amz-date"]);
    assert.equal(claim.signingDate.toISOString(), "2015-08-30T12:36:00.000Z");
  });

  it("accepts the test suite's get-vanilla signature", async () => {
    const request = getVanilla();
    assert.equal(await signatureMatches(request, readSignatureClaim(request, "query"), SUITE_SECRET), true);
  });

  it("refuses it with another secret, another signature, or a changed signed header", async () => {
    const request = getVanilla();
    const claim = readSignatureClaim(request, "query");
    assert.equal(await signatureMatches(request, claim, `${SUITE_SECRET}x`), false);
    const flipped = getVanilla(`${GET_VANILLA_SIGNATURE.slice(0, -1)}0`);
    assert.equal(await signatureMatches(flipped, readSignatureClaim(flipped, "query"), SUITE_SECRET), false);
    const otherHost = { ...request, headers: { ...request.headers, host: ["example.amazonaws.org"] } };
    assert.equal(await signatureMatches(otherHost, claim, SUITE_SECRET), false);
    const otherPath = { ...request, rawPath: "/other" };
    assert.equal(await signatureMatches(otherPath, claim, SUITE_SECRET), false);
  });

  it("reports missing and malformed authorization as AWS does", () => {
    const bare = { ...getVanilla(), headers: { host: ["example.amazonaws.com"] } };
    assert.throws(() => readSignatureClaim(bare, "query"), {
      code: "MissingAuthenticationToken",
      status: 403,
    });
    assert.throws(() => readSignatureClaim(bare, "json"), { code: "MissingAuthenticationTokenException" });
    const partial = { ...getVanilla(), headers: { authorization: ["AWS4-HMAC-SHA256 Credential=AKID/x"] } };
    assert.throws(
      () => readSignatureClaim(partial, "query"),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, "IncompleteSignature");
        assert.match(error.message, /requires 'SignedHeaders' parameter/);
        assert.match(error.message, /requires 'Signature' parameter/);
        assert.match(error.message, /X-Amz-Date/);
        return true;
      },
    );
    const v2 = { ...getVanilla(), headers: { authorization: ["AWS AKID:abc"] } };
    assert.throws(() => readSignatureClaim(v2, "query"), { code: "IncompleteSignature" });
  });

  it("parses X-Amz-Date strictly", () => {
    assert.equal(parseAmzDate("20150830T123600Z")?.getTime(), Date.UTC(2015, 7, 30, 12, 36, 0));
    assert.equal(parseAmzDate("2015-08-30T12:36:00Z"), undefined);
    assert.equal(parseAmzDate("20150830T123600"), undefined);
  });
});
