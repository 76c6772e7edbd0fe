import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { startTestSandbox, type TestSandbox } from "./sandbox-fixture.js";

const FORM = "application/x-www-form-urlencoded; charset=utf-8";

describe("the endpoint answers malformed input with AWS's errors and keeps serving", () => {
  let t: TestSandbox;
  let url: URL;
  before(async () => {
    t = await startTestSandbox();
    url = new URL(t.sandbox.endpoint);
  });
  after(() => t.dispose());

  /** Signs a raw request as a client would (alice's key), so the server gets past authentication. */
  async function signed(body: string, options: { service?: string; headers?: Record<string, string> } = {}) {
    const keys = t.keysOf("alice");
    const signer = new SignatureV4({
      credentials: keys,
      region: "us-east-1",
      service: options.service ?? "sts",
      sha256: Hash.bind(null, "sha256"),
    });
    const request = new HttpRequest({
      method: "POST",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: "/",
      headers: { host: url.host, "content-type": FORM, ...options.headers },
      body,
    });
    const result = await signer.sign(request);
    return fetch(t.sandbox.endpoint, { method: "POST", headers: result.headers, body });
  }

  async function stillServes(): Promise<void> {
    const who = await t.sts(t.keysOf("bob")).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, "arn:aws:iam::111111111111:user/bob");
  }

  function xmlField(xml: string, name: string): string | undefined {
    return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  }

  it("answers an unsigned request with MissingAuthenticationToken and a request id", async () => {
    const response = await fetch(t.sandbox.endpoint, {
      method: "POST",
      headers: { "content-type": FORM },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    assert.equal(response.status, 403);
    const text = await response.text();
    assert.match(
      text,
      /^<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type>/,
    );
    assert.equal(xmlField(text, "Code"), "MissingAuthenticationToken");
    assert.equal(xmlField(text, "Message"), "Request is missing Authentication Token");
    const requestId = response.headers.get("x-amzn-requestid");
    assert.match(requestId ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(xmlField(text, "RequestId"), requestId);
    await stillServes();
  });

  it("answers an unknown action with InvalidAction", async () => {
    const response = await signed("Action=GetEverything&Version=2011-06-15");
    assert.equal(response.status, 400);
    const text = await response.text();
    assert.equal(xmlField(text, "Code"), "InvalidAction");
    assert.equal(xmlField(text, "Message"), "Could not find operation GetEverything for version 2011-06-15");
    await stillServes();
  });

  it("answers a body without Action, and a malformed body, with AWS's errors", async () => {
    const missing = await signed("Version=2011-06-15");
    assert.equal(missing.status, 400);
    assert.equal(xmlField(await missing.text(), "Code"), "MissingAction");
    const malformed = await signed("Action=GetCallerIdentity&Version=2011-06-15&Bad=%E0%A4%A");
    assert.equal(malformed.status, 404);
    assert.equal(xmlField(await malformed.text(), "Code"), "MalformedQueryString");
    await stillServes();
  });

  it("answers an oversized body with 413 RequestEntityTooLarge", async () => {
    const response = await fetch(t.sandbox.endpoint, {
      method: "POST",
      headers: { "content-type": FORM },
      body: `Action=GetCallerIdentity&Pad=${"x".repeat(2 * 1024 * 1024)}`,
    });
    assert.equal(response.status, 413);
    const text = await response.text();
    assert.equal(xmlField(text, "Code"), "RequestEntityTooLarge");
    assert.match(xmlField(text, "Message") ?? "", /exceeds the maximum of 1048576 bytes/);
    await stillServes();
  });

  it("answers a service it does not serve, and JSON-protocol errors in JSON", async () => {
    const unserved = await signed("{}", {
      service: "secretsmanager",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.ListSecrets" },
    });
    assert.equal(unserved.status, 400);
    assert.equal(unserved.headers.get("content-type"), "application/x-amz-json-1.1");
    const body = (await unserved.json()) as { __type: string; message: string };
    assert.equal(body.__type, "InvalidAction");
    assert.equal(unserved.headers.get("x-amzn-errortype"), "InvalidAction");
    assert.match(
      body.message,
      /does not serve the service 'secretsmanager'.*it serves: ec2, iam, kms, rolesanywhere, ssm, sts/,
    );
    const unsigned = await fetch(t.sandbox.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonSSM.StartSession" },
      body: "{",
    });
    assert.equal(unsigned.status, 400);
    assert.deepEqual(await unsigned.json(), {
      __type: "MissingAuthenticationTokenException",
      message: "Request is missing Authentication Token",
    });
    await stillServes();
  });

  it("answers a garbled Authorization header with IncompleteSignature", async () => {
    const response = await fetch(t.sandbox.endpoint, {
      method: "POST",
      headers: { "content-type": FORM, authorization: "AWS4-HMAC-SHA256 Credential=, Signature" },
      body: "Action=GetCallerIdentity",
    });
    assert.equal(response.status, 400);
    assert.equal(xmlField(await response.text(), "Code"), "IncompleteSignature");
    await stillServes();
  });

  it("survives bytes that are not HTTP at all", async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(Number(url.port), "127.0.0.1", () => socket.write("\x00\x01garbage\r\n\r\n"));
      socket.on("data", () => undefined);
      socket.on("close", () => resolve());
      socket.on("error", () => resolve());
    });
    await stillServes();
  });

  it("verifies presigned GET requests", async () => {
    const keys = t.keysOf("alice");
    const signer = new SignatureV4({
      credentials: keys,
      region: "us-east-1",
      service: "sts",
      sha256: Hash.bind(null, "sha256"),
    });
    const presigned = await signer.presign(
      new HttpRequest({
        method: "GET",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: "/",
        query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
        headers: { host: url.host },
      }),
      { expiresIn: 60 },
    );
    const query = new URLSearchParams(presigned.query as Record<string, string>)
      .toString()
      .replace(/\+/g, "%20");
    const good = await fetch(`${t.sandbox.endpoint}/?${query}`);
    assert.equal(good.status, 200);
    assert.equal(xmlField(await good.text(), "Arn"), "arn:aws:iam::111111111111:user/alice");
    const tampered = await fetch(
      `${t.sandbox.endpoint}/?${query.replace("GetCallerIdentity", "GetSessionToken")}`,
    );
    assert.equal(tampered.status, 403);
    assert.equal(xmlField(await tampered.text(), "Code"), "SignatureDoesNotMatch");
  });
});
