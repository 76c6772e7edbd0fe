// `tobira add` typed at a real pseudo-terminal: the key id echoes, the secret and the passphrase never do,
// and a new vault file asks for its passphrase twice.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import pty from "node-pty";
import { FileVault } from "../../src/vault/file-vault.js";
import { forgetDerivedKeys } from "../../src/vault/key-derivation.js";
import { fixedPassphrase } from "../../src/vault/passphrase-source.js";
import { makeTempFolder, SAMPLE_ACCESS_KEY_ID, SAMPLE_SECRET } from "../vault/fixtures/vault-samples.js";

const cli = fileURLToPath(new URL("./fixtures/vault-cli.ts", import.meta.url));
const PASSPHRASE = "typed vault passphrase";
let folder: { path: string; remove: () => Promise<void> };

/** Runs the CLI on a pty and answers each prompt (matched by a pattern) in turn; resolves the whole transcript. */
function runOnTerminal(
  args: string[],
  answers: Array<[RegExp, string]>,
): Promise<{ transcript: string; exitCode: number }> {
  const terminal = pty.spawn(process.execPath, ["--import", "tsx", cli, ...args], {
    cols: 200,
    rows: 30,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: folder.path,
      TOBIRA_BACKEND: "file",
      TOBIRA_VAULT_FILE: join(folder.path, "vault"),
    },
  });
  let transcript = "";
  let answered = 0;
  let searchFrom = 0;
  terminal.onData((data) => {
    transcript += data;
    const next = answers[answered];
    if (next?.[0].test(transcript.slice(searchFrom))) {
      answered += 1;
      searchFrom = transcript.length;
      terminal.write(`${next[1]}\r`);
    }
  });
  return new Promise((resolve) => terminal.onExit(({ exitCode }) => resolve({ transcript, exitCode })));
}

beforeEach(async () => {
  forgetDerivedKeys();
  folder = await makeTempFolder("add-terminal");
});
afterEach(() => folder.remove());

describe("tobira add on a terminal", () => {
  it("echoes the key id, hides the secret and the passphrase, and asks the new passphrase twice", async () => {
    const { transcript, exitCode } = await runOnTerminal(
      ["add", "alice"],
      [
        [/Access key ID for profile 'alice': $/, SAMPLE_ACCESS_KEY_ID],
        [/Secret access key \(not shown\): $/, SAMPLE_SECRET],
        [/New passphrase for the tobira vault .*vault: $/, PASSPHRASE],
        [/Type it again: $/, PASSPHRASE],
      ],
    );
    assert.equal(exitCode, 0, transcript);
    assert.ok(transcript.includes(SAMPLE_ACCESS_KEY_ID), "the key id is echoed as typed");
    assert.equal(transcript.includes(SAMPLE_SECRET), false, "the secret is not echoed");
    assert.equal(transcript.includes(PASSPHRASE), false, "the passphrase is not echoed");
    assert.match(transcript, /Stored access key AKIA…Y7XZ for profile 'alice'/);
    const vault = new FileVault({
      path: join(folder.path, "vault"),
      passphrase: fixedPassphrase(PASSPHRASE),
    });
    assert.equal((await vault.keys.get("alice"))?.secretAccessKey, SAMPLE_SECRET);
  });

  it("writes nothing when the two new passphrases differ", async () => {
    const { transcript, exitCode } = await runOnTerminal(
      ["add", "alice"],
      [
        [/Access key ID for profile 'alice': $/, SAMPLE_ACCESS_KEY_ID],
        [/Secret access key \(not shown\): $/, SAMPLE_SECRET],
        [/New passphrase for the tobira vault .*: $/, PASSPHRASE],
        [/Type it again: $/, "something else"],
      ],
    );
    assert.equal(exitCode, 1);
    assert.match(transcript, /the two passphrases differ; nothing was written/);
    assert.equal(existsSync(join(folder.path, "vault")), false);
  });

  it("refuses a malformed key id before asking for the secret", async () => {
    const { transcript, exitCode } = await runOnTerminal(
      ["add", "alice"],
      [[/Access key ID .*: $/, "not-a-key"]],
    );
    assert.equal(exitCode, 2);
    assert.match(transcript, /that is not an IAM user's access key id/);
    assert.equal(transcript.includes("Secret access key"), false);
  });
});
