// The session-cache key of a Roles Anywhere spec, and whether an entry is fresh (pure but for reading the
// three files). Apart from cached-session.ts so that the credential-process fast path (which must not load the
// signer or the HTTP client) derives exactly the same key.
//
// The key is a hash of everything that changes the credentials: the bytes of the certificate, the key file and
// the intermediates bundle (a renewed certificate or a rotated key at the same path is a miss), the three ARNs,
// the duration, the session name, and the region and endpoint the request goes to. Synchronous reads: these
// are small files, and the fast path reads nothing asynchronously.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { CacheEntry, TemporaryCredentials } from "../ports.js";
import { REFRESH_MARGIN_MS } from "../refresh-margin.js";
import type { KeyFiles } from "./key-material.js";
import type { settleTarget } from "./session-target.js";

const FORMAT = "tobira-rolesanywhere-v1";

function fileDigest(path: string | undefined): string {
  if (path === undefined) return "";
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    // An unreadable file is no key at all: the miss path reads it again and says what is wrong.
    return `unreadable:${path}`;
  }
}

/** Every input of CreateSession, files by their contents. */
export function rolesAnywhereCacheKey(files: KeyFiles, target: ReturnType<typeof settleTarget>): string {
  const parts = [
    FORMAT,
    fileDigest(files.certificate),
    fileDigest(files.privateKey),
    fileDigest(files.intermediates),
    target.trustAnchorArn,
    target.profileArn,
    target.roleArn,
    String(target.durationSeconds ?? ""),
    target.roleSessionName ?? "",
    target.region,
    target.endpoint,
  ];
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** Cached credentials still outside the refresh margin. */
export function isFreshEntry(
  entry: CacheEntry | undefined,
  now: number,
): entry is CacheEntry & { credentials: TemporaryCredentials } {
  return entry?.credentials !== undefined && Date.parse(entry.expiresAt) - now > REFRESH_MARGIN_MS;
}
