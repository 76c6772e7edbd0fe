import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AwsServiceError, validationError } from "../../src/protocol/errors.js";
import { jsonErrorBody, jsonHeaders, parseJsonBody, parseTarget } from "../../src/protocol/json.js";
import { parseFormEncoded, QueryParams, queryErrorXml, queryResponseXml } from "../../src/protocol/query.js";
import { escapeXml } from "../../src/protocol/xml.js";

const STS = { xmlns: "https://sts.amazonaws.com/doc/2011-06-15/", version: "2011-06-15" };

describe("query protocol codec", () => {
  it("decodes form bodies: + is a space, escapes are UTF-8, repeats are kept", () => {
    const parsed = parseFormEncoded(
      "Action=AssumeRole&RoleSessionName=a+b%2Bc&Tags.member.1.Key=%E6%89%89&x=1&x=2&flag",
    );
    assert.deepEqual(
      [...parsed],
      [
        ["Action", ["AssumeRole"]],
        ["RoleSessionName", ["a b+c"]],
        ["Tags.member.1.Key", ["扉"]],
        ["x", ["1", "2"]],
        ["flag", [""]],
      ],
    );
    assert.throws(() => parseFormEncoded("a=%E6%89"), { code: "MalformedQueryString", status: 404 });
    assert.throws(() => parseFormEncoded("a=%zz"), { code: "MalformedQueryString" });
  });

  it("reads member lists and structures", () => {
    const params = new QueryParams(
      parseFormEncoded(
        "Tags.member.1.Key=Team&Tags.member.1.Value=blue&Tags.member.2.Key=Env&Tags.member.2.Value=&TransitiveTagKeys.member.1=Team&TransitiveTagKeys.member.3=Gap",
      ),
    );
    assert.deepEqual(params.memberStructs("Tags"), [
      { Key: "Team", Value: "blue" },
      { Key: "Env", Value: "" },
    ]);
    // Numbering stops at the first gap, as AWS's parser does.
    assert.deepEqual(params.memberList("TransitiveTagKeys"), ["Team"]);
    assert.equal(params.get("Missing"), undefined);
  });

  it("writes results and errors in AWS's XML shapes, escaped", () => {
    assert.equal(escapeXml(`<a href="x">&'`), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
    assert.equal(
      queryResponseXml(
        STS,
        "GetCallerIdentity",
        { Arn: "arn:aws:iam::1:user/a&b", List: ["x", "y"] },
        "rid-1",
      ),
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::1:user/a&amp;b</Arn><List><member>x</member><member>y</member></List></GetCallerIdentityResult><ResponseMetadata><RequestId>rid-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>\n',
    );
    assert.equal(
      queryErrorXml(STS, new AwsServiceError("AccessDenied", "User: <x> is not authorized", 403), "rid-2"),
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: &lt;x&gt; is not authorized</Message></Error><RequestId>rid-2</RequestId></ErrorResponse>\n',
    );
  });

  it("counts validation failures as AWS does", () => {
    assert.equal(validationError(["A"]).message, "1 validation error detected: A");
    assert.equal(validationError(["A", "B"]).message, "2 validation errors detected: A; B");
  });
});

describe("JSON 1.1 protocol codec", () => {
  it("splits X-Amz-Target and refuses a missing or malformed one", () => {
    assert.deepEqual(parseTarget("TrentService.GenerateDataKey"), {
      prefix: "TrentService",
      action: "GenerateDataKey",
    });
    assert.throws(() => parseTarget(undefined), { code: "UnknownOperationException" });
    assert.throws(() => parseTarget("NoDot"), { code: "UnknownOperationException" });
    assert.throws(() => parseTarget("Trailing."), { code: "UnknownOperationException" });
  });

  it("parses bodies as objects only", () => {
    assert.deepEqual(parseJsonBody(Buffer.from("")), {});
    assert.deepEqual(parseJsonBody(Buffer.from('{"KeyId":"alias/x"}')), { KeyId: "alias/x" });
    assert.throws(() => parseJsonBody(Buffer.from("[1]")), { code: "SerializationException" });
    assert.throws(() => parseJsonBody(Buffer.from("{")), { code: "SerializationException" });
  });

  it("writes errors as {__type, message} with x-amzn-ErrorType", () => {
    const error = new AwsServiceError("AccessDeniedException", "no", 400);
    assert.equal(jsonErrorBody(error), '{"__type":"AccessDeniedException","message":"no"}');
    assert.deepEqual(jsonHeaders("rid", error), {
      "content-type": "application/x-amz-json-1.1",
      "x-amzn-requestid": "rid",
      "x-amzn-errortype": "AccessDeniedException",
    });
  });
});
