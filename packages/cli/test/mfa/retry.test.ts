// withMfaRetry against a real STS client: a loopback server answers GetSessionToken with the XML AWS sends,
// including its exact refusal of a wrong or reused code, so classification is tested on what the SDK throws.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, test } from "node:test";
import { GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import {
  classifyMfaFailure,
  createUsedMfaCodes,
  MfaCodeRejectedError,
  type MfaRequest,
  withMfaRetry,
} from "../../src/mfa/index.js";

const SERIAL = "arn:aws:iam::111111111111:mfa/alice";
// AWS's wording, character for character (trailing period included).
const INVALID_CODE = "MultiFactorAuthentication failed with invalid MFA one time pass code.";

/** Token codes the stand-in STS received, in order, and the one code it accepts (once, as AWS does). */
const received: string[] = [];
let acceptedCode = "";
let spent = false;
let server: Server;
let client: STSClient;

function xml(status: number, body: string) {
  return { status, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` };
}

function answer(form: URLSearchParams) {
  const code = form.get("TokenCode") ?? "";
  received.push(code);
  if (form.get("SerialNumber") !== SERIAL) {
    return xml(
      403,
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.</Message></Error><RequestId>r-serial</RequestId></ErrorResponse>`,
    );
  }
  if (code !== acceptedCode || spent) {
    return xml(
      403,
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>${INVALID_CODE}</Message></Error><RequestId>r-invalid</RequestId></ErrorResponse>`,
    );
  }
  spent = true;
  return xml(
    200,
    `<GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetSessionTokenResult><Credentials><AccessKeyId>ASIAEXAMPLEEXAMPLE01</AccessKeyId><SecretAccessKey>test-secret</SecretAccessKey><SessionToken>test-token</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></GetSessionTokenResult><ResponseMetadata><RequestId>r-ok</RequestId></ResponseMetadata></GetSessionTokenResponse>`,
  );
}

before(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      const { status, body: out } = answer(new URLSearchParams(body));
      res.writeHead(status, { "content-type": "text/xml" }).end(out);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  client = new STSClient({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: "AKIAEXAMPLEEXAMPLE01", secretAccessKey: "long-term-secret" },
    maxAttempts: 1,
  });
});
after(() => {
  client.destroy();
  server.close();
});
beforeEach(() => {
  received.length = 0;
  spent = false;
});

/** A code source that hands out the given codes in order and records each request. */
function codes(...list: string[]) {
  const requests: MfaRequest[] = [];
  const getCode = async (request: MfaRequest) => {
    requests.push(request);
    const code = list.shift();
    if (code === undefined) throw new Error("asked for more codes than the test has");
    return code;
  };
  return { getCode, requests };
}

const getSessionToken = (serial: string) => (code: string) =>
  client.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code, DurationSeconds: 3600 }));

// 10 s into a 30 s TOTP step, so "the next code" is 20 s away.
const NOW = 1_700_000_020_000;
const options = (overrides = {}) => ({
  profile: "alice",
  serial: SERIAL,
  now: () => NOW,
  usedCodes: createUsedMfaCodes(),
  ...overrides,
});

describe("withMfaRetry", () => {
  test("the SDK's error for AWS's refusal is classified as an invalid code", async () => {
    acceptedCode = "000000";
    const error = await getSessionToken(SERIAL)("999999").catch((e: unknown) => e);
    assert.equal((error as Error).name, "AccessDenied");
    assert.equal(classifyMfaFailure(error), "invalid-code");
    const serialError = await getSessionToken("arn:aws:iam::111111111111:mfa/bob")("999999").catch(
      (e: unknown) => e,
    );
    assert.equal(classifyMfaFailure(serialError), "device-not-validated");
    assert.equal(classifyMfaFailure(new Error("socket hang up")), undefined);
  });

  test("wrong twice, then right: three codes asked, the retries say why", async () => {
    acceptedCode = "333333";
    const source = codes("111111", "222222", "333333");
    const result = await withMfaRetry(source.getCode, getSessionToken(SERIAL), options());
    assert.equal(result.Credentials?.AccessKeyId, "ASIAEXAMPLEEXAMPLE01");
    assert.deepEqual(received, ["111111", "222222", "333333"]);
    assert.deepEqual(
      source.requests.map((r) => [r.attempt, r.reason]),
      [
        [1, undefined],
        [2, "that code was not accepted"],
        [3, "that code was not accepted"],
      ],
    );
    assert.match(source.requests[1]?.hint ?? "", /wait for the next one \(about 20 s\)/);
    // Drivers that make codes themselves wait for the next step (plus a second of margin) before asking.
    assert.equal(source.requests[1]?.notBefore, NOW + 20_000 + 1000);
  });

  test("three wrong codes: a clear error, the last AWS refusal as its cause", async () => {
    acceptedCode = "999999";
    const source = codes("111111", "222222", "333333");
    await assert.rejects(
      withMfaRetry(source.getCode, getSessionToken(SERIAL), options()),
      (error: unknown) => {
        assert.ok(error instanceof MfaCodeRejectedError);
        assert.equal(error.message, `no MFA code was accepted for ${SERIAL} in 3 attempts`);
        assert.match(error.hint ?? "", /mfa_serial in profile alice/);
        assert.equal(classifyMfaFailure(error.cause), "invalid-code");
        return true;
      },
    );
    assert.equal(received.length, 3);
  });

  test("a code already used is explained, not sent again, and the next code is asked for", async () => {
    const usedCodes = createUsedMfaCodes();
    acceptedCode = "424242";
    await withMfaRetry(codes("424242").getCode, getSessionToken(SERIAL), options({ usedCodes }));
    // A second login in the same 30 s (a YubiKey touched again gives the same code).
    spent = false;
    acceptedCode = "515151";
    received.length = 0;
    const source = codes("424242", "515151");
    await withMfaRetry(source.getCode, getSessionToken(SERIAL), options({ usedCodes }));
    assert.deepEqual(received, ["515151"], "the used code never reached STS");
    assert.equal(
      source.requests[1]?.reason,
      "this code was already used: wait for the next code (about 20 s)",
    );
    assert.equal(source.requests[1]?.notBefore, NOW + 21_000);
  });

  test("the same refused code typed again is not sent twice", async () => {
    acceptedCode = "777777";
    const source = codes("123123", "123123", "777777");
    await withMfaRetry(source.getCode, getSessionToken(SERIAL), options());
    assert.deepEqual(received, ["123123", "777777"]);
    assert.match(source.requests[2]?.reason ?? "", /^this is the code that was just refused/);
  });

  test("errors that are not about the code pass through at once", async () => {
    acceptedCode = "111111";
    const source = codes("111111", "111111");
    await assert.rejects(
      withMfaRetry(source.getCode, getSessionToken("arn:aws:iam::111111111111:mfa/bob"), options()),
      (error: unknown) => classifyMfaFailure(error) === "device-not-validated",
    );
    assert.equal(source.requests.length, 1);
    const boom = new Error("connect ECONNREFUSED 127.0.0.1:1");
    await assert.rejects(
      withMfaRetry(codes("111111").getCode, () => Promise.reject(boom), options()),
      (error: unknown) => error === boom,
    );
  });

  test("maxAttempts bounds the codes asked for", async () => {
    acceptedCode = "999999";
    const source = codes("111111");
    await assert.rejects(
      withMfaRetry(source.getCode, getSessionToken(SERIAL), options({ maxAttempts: 1 })),
      MfaCodeRejectedError,
    );
    assert.equal(source.requests.length, 1);
  });
});
