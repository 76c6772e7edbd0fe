// The test's stand-in for the agent's writer (facts A.7): rewrites the shared credentials file IN PLACE —
// truncate, then the bytes in two writes with a pause between — and identity_config.json after it, as the
// agent orders them. Credential sets are made here in the shapes STS uses, so a reader's answer can be
// checked against exactly the sets written.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export interface CredentialSet {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export function newSet(): CredentialSet {
  return {
    accessKeyId: `ASIA${[...randomBytes(16)].map((b) => BASE32[b % 32]).join("")}`,
    secretAccessKey: randomBytes(30).toString("base64"),
    sessionToken: randomBytes(300).toString("base64"),
  };
}

export function fileText(set: CredentialSet): string {
  return `[default]\naws_access_key_id = ${set.accessKeyId}\naws_secret_access_key = ${set.secretAccessKey}\naws_session_token = ${set.sessionToken}\n\n[other]\nregion = ap-northeast-1\n`;
}

export function writeIdentity(agentDir: string, retrievedAt: number, expiresAt: number): void {
  mkdirSync(join(agentDir, "runtimeconfig"), { recursive: true });
  writeFileSync(
    join(agentDir, "runtimeconfig", "identity_config.json"),
    JSON.stringify({
      SchemaVersion: "1.1",
      InstanceId: "mi-0123456789abcdef0",
      IdentityType: "OnPrem",
      CredentialsExpiresAt: new Date(expiresAt).toISOString(),
      CredentialsRetrievedAt: new Date(retrievedAt).toISOString(),
      CredentialSource: "SSM",
    }),
  );
}

/** One in-place rewrite: truncate, first part, a pause, the rest; then the identity config. */
export async function rewriteInPlace(agentDir: string, set: CredentialSet, pauseMs = 2): Promise<void> {
  const text = Buffer.from(fileText(set));
  const cut = Math.floor(text.length / 2);
  const handle = await open(join(agentDir, "credentials"), "w", 0o600);
  try {
    await handle.write(text.subarray(0, cut));
    await sleep(pauseMs);
    await handle.write(text.subarray(cut));
  } finally {
    await handle.close();
  }
  const now = Date.now();
  writeIdentity(agentDir, now, now + 3600_000);
}
