// How close to expiry cached credentials are renewed. A module of its own so the credential-process fast path
// (cache-hit.ts) reads it without loading the resolver.

/** Credentials within this margin of expiry are refreshed, as the SDKs and aws-vault do. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;
