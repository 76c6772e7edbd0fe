// Where an encrypted private key's passphrase comes from (a setting; its own module so the credential-process
// fast path can check it without loading the key reader and the terminal).

/** "environment": the TOBIRA_ROLESANYWHERE_KEY_PASSPHRASE(_FILE) variables, then the terminal; "vault": the vault. */
export type PassphraseSource = "environment" | "vault";
export const PASSPHRASE_SOURCES: readonly PassphraseSource[] = ["environment", "vault"];
