// Key rotation when a step fails, against the sandbox with the real wiring (vault, MFA through mfa_process,
// STS and IAM through the SDK) and one port replaced to fail: the vault always keeps a key that works.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentials } from "../../src/credentials/ports.js";
import { listAccessKeys } from "../../src/rotate/iam-calls.js";
import {
  RotateError,
  type RotatePorts,
  retryWhileUnknown,
  rotateAccessKey,
} from "../../src/rotate/rotate-key.js";
import { prepareRotation } from "../../src/rotate/rotate-run.js";
import { type SandboxUser, startSandboxUser } from "../fixtures/sandbox-user.js";

describe("retrying while a new key is unknown", () => {
  it("waits 1, 2, 4 s between tries, and stops at a non-retryable error or the limit", async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    let calls = 0;
    const value = await retryWhileUnknown(
      async () => {
        calls++;
        if (calls < 4) throw Object.assign(new Error("unknown key"), { code: "InvalidClientTokenId" });
        return "ok";
      },
      { retryable: (e) => (e as { code?: string }).code === "InvalidClientTokenId", sleep },
    );
    assert.equal(value, "ok");
    assert.deepEqual(waits, [1000, 2000, 4000]);

    await assert.rejects(
      retryWhileUnknown(async () => Promise.reject(new Error("AccessDenied")), {
        retryable: () => false,
        sleep,
      }),
      /AccessDenied/,
    );
    let tries = 0;
    await assert.rejects(
      retryWhileUnknown(
        async () => {
          tries++;
          throw new Error("still unknown");
        },
        { retryable: () => true, maxAttempts: 3, sleep },
      ),
      /still unknown/,
    );
    assert.equal(tries, 3);
  });
});

describe("a rotation that fails after CreateAccessKey", () => {
  let f: SandboxUser;
  let session: AwsCredentials | undefined;
  const progress: string[] = [];
  const target = () => ({ region: "ap-northeast-1", endpointUrl: f.sandbox.endpoint });
  const works = async (key: AwsCredentials) =>
    new STSClient({
      region: "ap-northeast-1",
      endpoint: f.sandbox.endpoint,
      credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
      maxAttempts: 1,
    })
      .send(new GetCallerIdentityCommand({}))
      .then(
        (out) => out.Arn,
        (error: Error) => error.name,
      );
  /** The real ports; the MFA session is made once and reused, so the cases need one MFA code in all. */
  const ports = async (): Promise<RotatePorts> => {
    const real = await prepareRotation("alice", { env: f.env, progress: (line) => progress.push(line) });
    return {
      ...real,
      iamSession: async () => {
        session ??= await real.iamSession();
        return session;
      },
    };
  };
  const storedKeyId = async () => (await ports()).storedKeyId();
  /** What a rotation with these ports fails with (the case fails if it succeeds). */
  const failedRotation = (p: RotatePorts) =>
    rotateAccessKey(p).then(
      () => assert.fail("the rotation should fail"),
      (e: unknown) => e as RotateError,
    );
  /** The real createKey, telling `made` the id of the key it created. */
  const noting =
    (p: RotatePorts, made: (id: string) => void): RotatePorts["createKey"] =>
    async (s) => {
      const key = await p.createKey(s);
      made(key.accessKeyId);
      return key;
    };

  before(async () => {
    f = await startSandboxUser({
      label: "rotate-failures",
      aliceProfileKeys: ["mfa_serial = arn:aws:iam::111111111111:mfa/alice"],
    });
  });
  after(() => f?.close());

  it("deletes the new key again when it cannot be proved, and keeps the old one in the vault", async () => {
    const p = await ports();
    let created: string | undefined;
    const error = await failedRotation({
      ...p,
      createKey: noting(p, (id) => {
        created = id;
      }),
      proveKey: async () => {
        throw new Error("injected: the new key does not work");
      },
    });
    assert.ok(error instanceof RotateError);
    assert.match(error.message, /rotation failed while checking the new key: injected/);
    assert.match(error.hint ?? "", /nothing changed: the new key was deleted again/);
    assert.ok(created);
    assert.equal(await storedKeyId(), f.aliceKey.accessKeyId);
    assert.equal(await works(f.aliceKey), "arn:aws:iam::111111111111:user/alice");
    assert.deepEqual(
      (await listAccessKeys(session!, target())).map((k) => k.accessKeyId),
      [f.aliceKey.accessKeyId],
    );
  });

  it("deletes the new key again when the vault cannot store it", async () => {
    const p = await ports();
    await assert.rejects(
      rotateAccessKey({
        ...p,
        storeKey: async () => {
          throw new Error("injected: disk full");
        },
      }),
      /rotation failed while storing the new key in the vault: injected: disk full/,
    );
    assert.equal(await storedKeyId(), f.aliceKey.accessKeyId);
    assert.deepEqual(
      (await listAccessKeys(session!, target())).map((k) => k.accessKeyId),
      [f.aliceKey.accessKeyId],
    );
  });

  it("says exactly what to do when the new key can be neither proved nor deleted", async () => {
    const p = await ports();
    let created = "";
    const error = await failedRotation({
      ...p,
      createKey: noting(p, (id) => {
        created = id;
      }),
      proveKey: async () => {
        throw new Error("injected: proof failed");
      },
      deleteKey: async () => {
        throw new Error("injected: IAM is down");
      },
    });
    assert.match(error.message, new RegExp(`the new key ${created} could not be deleted again`));
    assert.match(
      error.hint ?? "",
      new RegExp(`aws iam delete-access-key --access-key-id ${created} --user-name alice`),
    );
    assert.match(error.hint ?? "", /the vault still holds the old, working key/);
    assert.equal(await storedKeyId(), f.aliceKey.accessKeyId);
    assert.equal(await works(f.aliceKey), "arn:aws:iam::111111111111:user/alice");
    // Clean up as the hint says, so the next case starts from one key.
    await p.deleteKey(session!, created);
  });

  it("refuses to start when the user already has two keys", async () => {
    const p = await ports();
    const extra = await p.createKey(session!);
    try {
      await assert.rejects(rotateAccessKey(p), /the user already has two access keys/);
      assert.equal(await storedKeyId(), f.aliceKey.accessKeyId);
    } finally {
      await p.deleteKey(session!, extra.accessKeyId);
    }
  });

  it("keeps the new key when only the old key's deletion fails, and names the old key to delete", async () => {
    const p = await ports();
    const error = await failedRotation({
      ...p,
      deleteKey: async (s, id) => {
        if (id === f.aliceKey.accessKeyId) throw new Error("injected: throttled");
        return p.deleteKey(s, id);
      },
    });
    assert.match(
      error.message,
      /is stored and works, but deleting the old key .* failed: injected: throttled/,
    );
    assert.match(
      error.hint ?? "",
      new RegExp(`aws iam delete-access-key --access-key-id ${f.aliceKey.accessKeyId}`),
    );
    const stored = await storedKeyId();
    assert.notEqual(stored, f.aliceKey.accessKeyId);
    assert.ok(progress.every((line) => !line.includes(f.aliceKey.secretAccessKey)));
  });
});
