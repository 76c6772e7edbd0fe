import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildHandshakeRequest,
  evaluateHandshakeResponse,
  needsHandshake,
} from "../../src/handshake/agent-handshake.js";
import { answerHandshakeRequest } from "../../src/handshake/client-handshake.js";
import {
  encodeEncryptionChallenge,
  encodeHandshakeComplete,
  encodeHandshakeRequest,
  encodeHandshakeResponse,
  parseEncryptionChallenge,
  parseHandshakeComplete,
  parseHandshakeRequest,
  parseHandshakeResponse,
} from "../../src/handshake/messages.js";

const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");
const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** §5.3's example, with the key ARN written out. */
const REQUEST_JSON =
  '{"AgentVersion":"3.3.987.0","RequestedClientActions":[' +
  '{"ActionType":"SessionType","ActionParameters":{"SessionType":"Standard_Stream","Properties":null}},' +
  `{"ActionType":"KMSEncryption","ActionParameters":{"KMSKeyId":"${KEY_ARN}","Challenge":"q83vEjRWeJq83vEjRWeJqw=="}}]}`;

/** §5.4's example, verbatim. */
const RESPONSE_JSON =
  '{"ClientVersion":"1.2.764.0","ProcessedClientActions":[{"ActionType":"SessionType","ActionStatus":1,"ActionResult":null,"Error":""}],"Errors":null}';

describe("handshake JSON (§5.3–§5.6)", () => {
  it("HandshakeRequest: the agent builds §5.3's example exactly", () => {
    const request = buildHandshakeRequest({
      agentVersion: "3.3.987.0",
      sessionType: "Standard_Stream",
      properties: null,
      kms: { keyId: KEY_ARN, challenge: "q83vEjRWeJq83vEjRWeJqw==" },
    });
    assert.equal(text(encodeHandshakeRequest(request)), REQUEST_JSON);
  });

  it("HandshakeRequest: parses §5.3's example", () => {
    const parsed = parseHandshakeRequest(Buffer.from(REQUEST_JSON));
    assert.equal(parsed.ok, true);
    if (!parsed.ok) return;
    assert.equal(parsed.value.AgentVersion, "3.3.987.0");
    assert.deepEqual(
      parsed.value.RequestedClientActions.map((a) => a.ActionType),
      ["SessionType", "KMSEncryption"],
    );
  });

  it("HandshakeResponse: a shell without KMS gives §5.4's example exactly", async () => {
    const outcome = await answerHandshakeRequest(
      {
        AgentVersion: "3.3.987.0",
        RequestedClientActions: [
          {
            ActionType: "SessionType",
            ActionParameters: { SessionType: "Standard_Stream", Properties: null },
          },
        ],
      },
      { clientVersion: "1.2.764.0", supportedSessionTypes: ["Standard_Stream"] },
    );
    assert.equal(text(encodeHandshakeResponse(outcome.response)), RESPONSE_JSON);
    assert.equal(outcome.sessionType, "Standard_Stream");
  });

  it("HandshakeResponse with KMS carries KMSCipherTextKey and a null hash", async () => {
    const request = parseHandshakeRequest(Buffer.from(REQUEST_JSON));
    assert.ok(request.ok);
    const seen: unknown[] = [];
    const outcome = await answerHandshakeRequest(request.value, {
      clientVersion: "1.2.764.0",
      supportedSessionTypes: ["Standard_Stream"],
      sessionId: "alice-0123456789abcdef0",
      targetId: "i-0123456789abcdef0",
      generateDataKey: async (r) => {
        seen.push(r);
        return { plaintext: Buffer.alloc(64, 1), ciphertextBlob: Buffer.from("blob") };
      },
    });
    assert.deepEqual(seen, [
      {
        keyId: KEY_ARN,
        encryptionContext: {
          "aws:ssm:SessionId": "alice-0123456789abcdef0",
          "aws:ssm:TargetId": "i-0123456789abcdef0",
        },
        numberOfBytes: 64,
      },
    ]);
    assert.equal(
      text(encodeHandshakeResponse(outcome.response)),
      '{"ClientVersion":"1.2.764.0","ProcessedClientActions":[' +
        '{"ActionType":"SessionType","ActionStatus":1,"ActionResult":null,"Error":""},' +
        '{"ActionType":"KMSEncryption","ActionStatus":1,"ActionResult":{"KMSCipherTextKey":"YmxvYg==","KMSCipherTextHash":null},"Error":""}],' +
        '"Errors":null}',
    );
  });

  it("a failing GenerateDataKey becomes ActionStatus 2 with the plugin's wording, and the agent's error text", async () => {
    const request = parseHandshakeRequest(Buffer.from(REQUEST_JSON));
    assert.ok(request.ok);
    const outcome = await answerHandshakeRequest(request.value, {
      clientVersion: "1.2.764.0",
      supportedSessionTypes: ["Standard_Stream"],
      sessionId: "s",
      targetId: "t",
      generateDataKey: async () => {
        throw new Error("AccessDeniedException: not authorized to perform: kms:GenerateDataKey");
      },
    });
    const kms = outcome.response.ProcessedClientActions[1];
    assert.equal(kms?.ActionStatus, 2);
    assert.equal(
      kms?.Error,
      "Failed to process action KMSEncryption: AccessDeniedException: not authorized to perform: kms:GenerateDataKey",
    );
    assert.ok(outcome.failure);
    const verdict = evaluateHandshakeResponse(outcome.response, request.value, {
      requireChallengeAcknowledgement: false,
    });
    assert.deepEqual(verdict, {
      ok: false,
      message:
        "Encountered error while initiating handshake. KMSEncryption failed on client with status 2 error: Failed to process action KMSEncryption: AccessDeniedException: not authorized to perform: kms:GenerateDataKey",
    });
  });

  it("acknowledging the challenge adds aws:ssm:RandomChallenge to the context and the result", async () => {
    const request = parseHandshakeRequest(Buffer.from(REQUEST_JSON));
    assert.ok(request.ok);
    let context: Record<string, string> = {};
    const outcome = await answerHandshakeRequest(request.value, {
      clientVersion: "1.2.764.0",
      supportedSessionTypes: ["Standard_Stream"],
      sessionId: "s",
      targetId: "t",
      acknowledgeChallenge: true,
      generateDataKey: async (r) => {
        context = r.encryptionContext;
        return { plaintext: Buffer.alloc(64), ciphertextBlob: Buffer.alloc(1) };
      },
    });
    assert.equal(context["aws:ssm:RandomChallenge"], "q83vEjRWeJq83vEjRWeJqw==");
    const result = outcome.response.ProcessedClientActions[1]?.ActionResult as
      | Record<string, unknown>
      | undefined;
    assert.equal(result?.ChallengeAcknowledgement, true);
  });

  it("unknown actions are answered Unsupported (3), unknown session types Failed (2)", async () => {
    const outcome = await answerHandshakeRequest(
      {
        AgentVersion: "9.9.9.9",
        RequestedClientActions: [
          { ActionType: "SessionType", ActionParameters: { SessionType: "Teleport", Properties: null } },
          { ActionType: "Telepathy", ActionParameters: {} },
        ],
      },
      { clientVersion: "1.2.764.0", supportedSessionTypes: ["Standard_Stream"] },
    );
    assert.deepEqual(
      outcome.response.ProcessedClientActions.map((a) => a.ActionStatus),
      [2, 3],
    );
  });

  it("HandshakeComplete and the challenge JSON", () => {
    assert.equal(
      text(
        encodeHandshakeComplete({
          HandshakeTimeToComplete: 1500000000,
          CustomerMessage: "This session is encrypted using AWS KMS.",
        }),
      ),
      '{"HandshakeTimeToComplete":1500000000,"CustomerMessage":"This session is encrypted using AWS KMS."}',
    );
    const parsed = parseHandshakeComplete(Buffer.from('{"HandshakeTimeToComplete":12,"CustomerMessage":""}'));
    assert.deepEqual(parsed, { ok: true, value: { HandshakeTimeToComplete: 12, CustomerMessage: "" } });
    assert.equal(text(encodeEncryptionChallenge({ Challenge: "AAEC" })), '{"Challenge":"AAEC"}');
    assert.deepEqual(parseEncryptionChallenge(Buffer.from('{"Challenge":"AAEC"}')), {
      ok: true,
      value: Buffer.from([0, 1, 2]),
    });
    assert.equal(parseEncryptionChallenge(Buffer.from('{"Challenge":"%%%"}')).ok, false);
  });

  it("parses §5.4's example back", () => {
    const parsed = parseHandshakeResponse(Buffer.from(RESPONSE_JSON));
    assert.deepEqual(parsed, {
      ok: true,
      value: {
        ClientVersion: "1.2.764.0",
        ProcessedClientActions: [
          { ActionType: "SessionType", ActionStatus: 1, ActionResult: null, Error: "" },
        ],
        Errors: null,
      },
    });
  });

  it("§5.1: who shakes hands", () => {
    assert.equal(needsHandshake("Standard_Stream", false), false);
    assert.equal(needsHandshake("Standard_Stream", true), true);
    assert.equal(needsHandshake("InteractiveCommands", false), false);
    assert.equal(needsHandshake("NonInteractiveCommands", false), true);
    assert.equal(needsHandshake("Port", false), true);
  });
});
