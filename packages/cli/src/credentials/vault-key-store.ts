// Adapter: the vault's long-term keys as a LongTermKeyStore, with keys written in the AWS files as a fallback.
// Loaded only on a cache miss: opening the file vault costs a passphrase and scrypt.
import type { StaticKeysFromFile } from "../config/index.js";
import type { LongTermKeyStore } from "./ports.js";

export async function openLongTermKeyStore(
  env: NodeJS.ProcessEnv,
  fileKeys: StaticKeysFromFile | undefined,
  notice: (line: string) => void,
): Promise<LongTermKeyStore> {
  const { openVault } = await import("../vault/index.js");
  // The keyring when one answers, else the encrypted file (which may ask for the passphrase on first use).
  const vault = await openVault({ env, stderr: { write: (text: string) => process.stderr.write(text) } });
  return {
    async get(profile) {
      const stored = await vault.keys.get(profile);
      if (stored) return { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey };
      if (fileKeys && fileKeys.section !== undefined) {
        notice(
          `using the access key written in ${fileKeys.file} for profile '${profile}'; ` +
            `move it into the vault with: tobira add ${profile}`,
        );
        return {
          accessKeyId: fileKeys.accessKeyId,
          secretAccessKey: fileKeys.secretAccessKey,
          ...(fileKeys.sessionToken === undefined ? {} : { sessionToken: fileKeys.sessionToken }),
        };
      }
      return undefined;
    },
  };
}
