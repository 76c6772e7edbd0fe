// Each KMS key's secret (32 random bytes), made on first use and kept in state.json (0600) so ciphertexts
// stay decryptable across restarts. It never leaves the sandbox: no API returns it and no log names it.

import { randomBytes } from "node:crypto";
import type { SandboxRuntime } from "../../server/runtime.js";
import { isObject, ServiceRecord } from "../../state/service-record.js";
import type { KmsKey } from "../../world/model.js";

/** Key ARN → base64 of the key's 32-byte secret. */
const MATERIAL = new ServiceRecord<Record<string, string>>("kms", "material", isObject, () => ({}));

export function keyMaterial(runtime: SandboxRuntime, key: KmsKey): Buffer {
  const material = MATERIAL.read(runtime.state);
  const stored = material[key.arn];
  if (stored !== undefined) {
    const bytes = Buffer.from(stored, "base64");
    if (bytes.length === 32) return bytes;
  }
  const fresh = randomBytes(32);
  MATERIAL.write(runtime.state, { ...material, [key.arn]: fresh.toString("base64") });
  return fresh;
}
