// Each KMS key's secret (32 random bytes), made on first use and kept in state.json (0600) so ciphertexts
// stay decryptable across restarts. It never leaves the sandbox: no API returns it and no log names it.

import { randomBytes } from "node:crypto";
import type { SandboxRuntime } from "../../server/runtime.js";
import type { KmsKey } from "../../world/model.js";

interface KmsRecord {
  version: 1;
  /** Key ARN → base64 of the key's 32-byte secret. */
  material: Record<string, string>;
}

const SERVICE = "kms";

function record(runtime: SandboxRuntime): KmsRecord {
  const stored = runtime.state.serviceRecord(SERVICE) as Partial<KmsRecord> | undefined;
  if (stored?.version === 1 && stored.material !== null && typeof stored.material === "object") {
    return stored as KmsRecord;
  }
  return { version: 1, material: {} };
}

export function keyMaterial(runtime: SandboxRuntime, key: KmsKey): Buffer {
  const current = record(runtime);
  const stored = current.material[key.arn];
  if (stored !== undefined) {
    const bytes = Buffer.from(stored, "base64");
    if (bytes.length === 32) return bytes;
  }
  const fresh = randomBytes(32);
  runtime.state.setServiceRecord(SERVICE, {
    version: 1,
    material: { ...current.material, [key.arn]: fresh.toString("base64") },
  } satisfies KmsRecord);
  return fresh;
}
