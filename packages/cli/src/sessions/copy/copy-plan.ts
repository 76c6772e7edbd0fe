// `tobira cp` before anything runs (pure): which side is remote, and how one file is cut into parts, one part
// per session.
//
// Parts are whole blocks of BLOCK_BYTES (the last may be short), so each part is a plain POSIX `dd` on the
// instance: `dd of=F bs=B seek=K conv=notrunc` writes it, `dd if=F bs=B skip=K count=C` reads it. No GNU-only
// flag (oflag=seek_bytes, iflag=fullblock) is needed: a writing dd writes every short read where the last
// write ended, and a reading dd of a regular file only reads short at its end.
import { UsageError } from "../../errors.js";

export const BLOCK_BYTES = 64 * 1024;

export interface RemotePath {
  /** `user@` as typed, if any. */
  user: string | undefined;
  /** The ssh host as typed: an instance id, mi-… id, Name alias or whatever the ssh config maps. */
  host: string;
  path: string;
}

export type CopyEndpoints =
  | { direction: "upload"; local: string; remote: RemotePath }
  | { direction: "download"; remote: RemotePath; local: string };

/** `[user@]host:path`, as scp writes it: a colon before any slash. */
export function remotePathOf(text: string): RemotePath | undefined {
  const colon = text.indexOf(":");
  const slash = text.indexOf("/");
  if (colon <= 0 || (slash >= 0 && slash < colon)) return undefined;
  const where = text.slice(0, colon);
  const at = where.lastIndexOf("@");
  const user = at > 0 ? where.slice(0, at) : undefined;
  const host = at >= 0 ? where.slice(at + 1) : where;
  const path = text.slice(colon + 1);
  if (host === "" || path === "") return undefined;
  return { user, host, path };
}

export function copyEndpoints(source: string, destination: string): CopyEndpoints {
  const from = remotePathOf(source);
  const to = remotePathOf(destination);
  if (from && to) {
    throw new UsageError("both SOURCE and DEST are on instances", {
      hint: "copy to or from this machine: tobira cp FILE web-a:/tmp/ or tobira cp web-a:/var/log/x.log .",
    });
  }
  if (!from && !to) {
    throw new UsageError("neither SOURCE nor DEST is on an instance", {
      hint: "write the instance side as [user@]HOST:PATH, e.g. web-a:/tmp/",
    });
  }
  return to
    ? { direction: "upload", local: source, remote: to }
    : { direction: "download", remote: from!, local: destination };
}

export interface Part {
  /** 1-based, for messages. */
  number: number;
  /** First block and number of blocks, in BLOCK_BYTES. */
  firstBlock: number;
  blocks: number;
  /** First byte and length. */
  offset: number;
  length: number;
}

/** At most `sessions` parts of whole blocks, as even as blocks allow; an empty file is one empty part. */
export function partsOf(size: number, sessions: number): Part[] {
  const totalBlocks = Math.ceil(size / BLOCK_BYTES);
  const count = Math.max(1, Math.min(sessions, totalBlocks));
  const parts: Part[] = [];
  for (let i = 0; i < count; i++) {
    const firstBlock = Math.floor((i * totalBlocks) / count);
    const endBlock = Math.floor(((i + 1) * totalBlocks) / count);
    const offset = firstBlock * BLOCK_BYTES;
    const end = Math.min(size, endBlock * BLOCK_BYTES);
    parts.push({ number: i + 1, firstBlock, blocks: endBlock - firstBlock, offset, length: end - offset });
  }
  return parts;
}
