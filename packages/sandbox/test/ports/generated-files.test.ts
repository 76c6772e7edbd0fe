import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import {
  findGeneratedFile,
  GENERATED_FILES,
  generatedFileSha256,
  generatedFileStream,
} from "../../src/local-services/generated-files.js";

// Computed with OpenSSL's command line, independently of the code under test:
//   k=$(printf 'tobira-sandbox-file:NAME' | sha256sum | cut -d' ' -f1)
//   head -c SIZE /dev/zero | openssl enc -aes-256-ctr -K $k -iv 000…0 | sha256sum
const PUBLISHED: Record<string, { size: number; sha256: string }> = {
  "64KiB.bin": { size: 65536, sha256: "f3630added112776d1c069723033124069321bdb6f99a12d23c95da8025f84cb" },
  "1MiB.bin": { size: 1048576, sha256: "cf44c42eb7c64ee7092be9fbe5d589fe58942d4727394e788666ace062d58a74" },
  "16MiB.bin": { size: 16777216, sha256: "f5ac399af0a0f91d4d63abbe645730442e348043adef67af09fef8f7d7a87ed1" },
  "64MiB.bin": { size: 67108864, sha256: "5284b2e759ec2893b754c10315a5de406c4a93cc81aded16e60728e04ac12169" },
};

async function collect(name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of generatedFileStream(findGeneratedFile(name)!)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("generated files of the http service", () => {
  it("lists exactly the published files and sizes", () => {
    assert.deepEqual(
      GENERATED_FILES.map((f) => [f.name, f.size]),
      Object.entries(PUBLISHED).map(([name, p]) => [name, p.size]),
    );
  });

  it("starts 64KiB.bin with the first AES-256-CTR keystream block OpenSSL gives", async () => {
    const bytes = await collect("64KiB.bin");
    assert.equal(bytes.subarray(0, 16).toString("hex"), "563a80f0834eea2af4d26e1256596155");
    assert.equal(bytes.length, 65536);
  });

  it("has the published sha256 for the small files, streamed and as reported", async () => {
    for (const name of ["64KiB.bin", "1MiB.bin"]) {
      const bytes = await collect(name);
      assert.equal(bytes.length, PUBLISHED[name]!.size);
      assert.equal(createHash("sha256").update(bytes).digest("hex"), PUBLISHED[name]!.sha256, name);
      assert.equal(await generatedFileSha256(findGeneratedFile(name)!), PUBLISHED[name]!.sha256, name);
    }
  });

  it("reports the published sha256 for the 16 MiB file", async () => {
    const file = findGeneratedFile("16MiB.bin")!;
    assert.equal(await generatedFileSha256(file), PUBLISHED["16MiB.bin"]!.sha256);
  });

  it("produces each chunk only when read (nothing is generated up front)", () => {
    const stream = generatedFileStream(findGeneratedFile("64MiB.bin")!);
    assert.equal(stream.readableLength, 0);
    stream.destroy();
  });
});
