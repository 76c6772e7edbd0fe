// The upgrade signature checked against SigV4 computed here by hand from the AWS documentation (canonical
// request, string to sign, derived key) with node:crypto, not with the signer under test.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { test } from "node:test";
import { signedUpgradeHeaders } from "../../src/sessions/ssm/stream-connect.js";

const credentials = {
  accessKeyId: "ASIAEXAMPLEEXAMPLE01",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  sessionToken: "FwoGZXIvYXdzEXAMPLETOKEN==",
};
const now = new Date("2024-01-02T03:04:05Z");

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const hmac = (key: Buffer | string, text: string) => createHmac("sha256", key).update(text, "utf8").digest();

test("the upgrade GET is signed for ssmmessages with host, date and token, and no body-hash header", async () => {
  const headers = await signedUpgradeHeaders({
    streamUrl:
      "ws://127.0.0.1:8080/v1/data-channel/alice-0abc123def?role=publish_subscribe&cell-number=AAEAAQ-_x",
    credentials,
    region: "ap-northeast-1",
    now,
  });
  // Query sorted by name; values URI-encoded (none need it here); headers lower-cased and sorted.
  const canonicalRequest = [
    "GET",
    "/v1/data-channel/alice-0abc123def",
    "cell-number=AAEAAQ-_x&role=publish_subscribe",
    "host:127.0.0.1:8080",
    "x-amz-date:20240102T030405Z",
    `x-amz-security-token:${credentials.sessionToken}`,
    "",
    "host;x-amz-date;x-amz-security-token",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  ].join("\n");
  const scope = "20240102/ap-northeast-1/ssmmessages/aws4_request";
  const stringToSign = ["AWS4-HMAC-SHA256", "20240102T030405Z", scope, sha256(canonicalRequest)].join("\n");
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, "20240102"), "ap-northeast-1"), "ssmmessages"),
    "aws4_request",
  );
  const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
  assert.deepEqual(headers, {
    Host: "127.0.0.1:8080",
    "X-Amz-Date": "20240102T030405Z",
    "X-Amz-Security-Token": credentials.sessionToken,
    Authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=${signature}`,
  });
});

test("a wss URL on the default port signs the bare host name", async () => {
  const headers = await signedUpgradeHeaders({
    streamUrl: "wss://ssmmessages.ap-northeast-1.amazonaws.com/v1/data-channel/s-1?role=publish_subscribe",
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    region: "ap-northeast-1",
    now,
  });
  assert.equal(headers.Host, "ssmmessages.ap-northeast-1.amazonaws.com");
  assert.equal(headers["X-Amz-Security-Token"], undefined);
  assert.match(headers.Authorization ?? "", /SignedHeaders=host;x-amz-date, Signature=[0-9a-f]{64}$/);
});

test("an already presigned StreamUrl is used as it is: no headers added", async () => {
  const headers = await signedUpgradeHeaders({
    streamUrl:
      "wss://ssmmessages.ap-northeast-1.amazonaws.com/v1/data-channel/s-1?role=publish_subscribe&X-Amz-Signature=abc",
    credentials,
    region: "ap-northeast-1",
    now,
  });
  assert.deepEqual(headers, {});
});
