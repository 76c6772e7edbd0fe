// The steps of one `tobira cp`, given a way to run a command on the instance over the striped tunnel: the
// probe, the parts in parallel (one ssh each, so one session each), and the checksum that decides whether the
// copy lands. The destination appears only whole and checked: parts go to a temporary file beside it, renamed
// once its sha256 equals the source's, and removed when anything fails.
import { createHash, randomBytes } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  promises as fs,
  constants as fsConstants,
  type Stats,
} from "node:fs";
import { basename, dirname, join, posix } from "node:path";
import type { Readable, Writable } from "node:stream";
import { TobiraError, UsageError } from "../../errors.js";
import { type Part, partsOf, type RemotePath } from "./copy-plan.js";
import type { CopyProgress, ProgressFactory } from "./copy-progress.js";
import {
  PROBE_EXIT,
  probeDestination,
  probeSource,
  readPart,
  removeFile,
  verifyAndRename,
  writePart,
} from "./remote-commands.js";
import { lastLine, type SshResult } from "./ssh-client.js";

export class CopyFailedError extends TobiraError {
  override name = "CopyFailedError";
}

/** Runs `command` on the instance through one ssh over the tunnel. */
export type RemoteRunner = (
  command: string,
  streams: { input?: Readable; output?: Writable },
) => Promise<SshResult>;

/** What ssh's own stderr says to do, when ssh (not the command) failed: see sshFailureHint. */
export type SshHint = (stderr: string) => string | undefined;

export interface CopySettings {
  /** Parts, one per session. */
  sessions: number;
  sshHint?: SshHint;
  /** The progress shown while the parts move (none by default). */
  progress?: ProgressFactory;
}

const noProgress: ProgressFactory = () => ({ count() {}, stop() {} });

/** ssh exits 255 when it failed itself; any other status is the remote command's. */
const SSH_OWN_FAILURE = 255;

function sshOwnHint(result: SshResult, sshHint: SshHint): string | undefined {
  return result.code === SSH_OWN_FAILURE ? sshHint(result.stderr) : undefined;
}

export interface CopySummary {
  direction: "upload" | "download";
  /** Where the file landed: a local path, or `host:path`. */
  destination: string;
  bytes: number;
  sha256: string;
  parts: number;
  /** From the first part's start to the last part's end. */
  transferSeconds: number;
}

const temporaryName = (final: string) => `${final}.tobira-${randomBytes(4).toString("hex")}`;

function partBytes(part: Part): string {
  return part.length === 0 ? "no bytes" : `bytes ${part.offset}–${part.offset + part.length - 1}`;
}

/**
 * Why a step failed, in the remote tool's words: dd ends with its byte-count summary, so its own error line
 * ("dd: error writing …: No space left on device"), when there is one, says more than the last line.
 */
export function reasonOf(result: SshResult): string {
  const lines = result.stderr.trim().split("\n");
  const own = lines.find((line) => /^dd: /.test(line.trim()));
  return (own ?? lastLine(result.stderr)).trim() || `ssh exited ${result.code}`;
}

function failedPart(
  part: Part,
  count: number,
  result: SshResult,
  action: string,
  sshHint: SshHint,
): CopyFailedError {
  const why = reasonOf(result);
  const ssh = sshOwnHint(result, sshHint);
  return new CopyFailedError(
    `part ${part.number} of ${count} (${partBytes(part)}) could not be ${action}: ${why}`,
    {
      hint: `nothing was left at the destination; ${ssh ?? "if a session ended, its line is above"}; then run tobira cp again`,
    },
  );
}

function failedStep(what: string, result: SshResult, sshHint: SshHint): CopyFailedError {
  const why = lastLine(result.stderr) || `ssh exited ${result.code}`;
  const hint =
    sshOwnHint(result, sshHint) ??
    (result.code === PROBE_EXIT.noFolder
      ? "create the folder on the instance, or name one that exists"
      : result.code === PROBE_EXIT.notWritable
        ? "name a folder the instance's user (user@host) may write in"
        : result.code === PROBE_EXIT.noFile
          ? "name a regular file that exists on the instance (tobira cp copies one file at a time)"
          : "check the path and your permissions on the instance");
  return new CopyFailedError(`${what}: ${why}`, { hint });
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The local source of an upload; checked before any session starts. */
export async function localFile(path: string): Promise<Stats> {
  const stat = await fs.stat(path).catch(() => undefined);
  if (!stat?.isFile()) {
    throw new UsageError(`${path} is not a file`, { hint: "tobira cp copies one regular file at a time" });
  }
  return stat;
}

/**
 * The local destination of a download, checked before any session starts: the copy goes into PATH when it
 * is a folder, else PATH's parent must be a folder this user can write in.
 */
export async function localDestination(path: string): Promise<void> {
  const stat = await fs.stat(path).catch(() => undefined);
  if (stat?.isDirectory()) return writableFolder(path);
  if (path.endsWith("/")) {
    throw new UsageError(`no folder ${path}`, { hint: "create the folder first, or name one that exists" });
  }
  const parent = dirname(path);
  const parentStat = await fs.stat(parent).catch(() => undefined);
  if (!parentStat?.isDirectory()) {
    throw new UsageError(`no folder ${parent}`, { hint: "create the folder first, or name one that exists" });
  }
  return writableFolder(parent);
}

async function writableFolder(folder: string): Promise<void> {
  await fs.access(folder, fsConstants.W_OK).catch(() => {
    throw new UsageError(`cannot write in ${folder}`, { hint: "name a folder you may write in" });
  });
}

/** Local file → instance: probe, parts written in parallel into a temporary file, checksum, rename. */
export async function upload(
  run: RemoteRunner,
  local: string,
  remote: RemotePath,
  settings: CopySettings,
): Promise<CopySummary> {
  const { sessions, sshHint = () => undefined, progress = noProgress } = settings;
  const { size } = await localFile(local);
  const sha256 = await sha256OfFile(local);
  const probe = await run(probeDestination(remote.path), {});
  if (probe.code !== 0) throw failedStep(`cannot copy to ${remote.host}:${remote.path}`, probe, sshHint);
  const final = probe.stdout.trim() === "dir" ? posix.join(remote.path, basename(local)) : remote.path;
  const temp = temporaryName(final);
  const parts = partsOf(size, sessions);
  const started = performance.now();
  const shown = progress(size);
  const results = await Promise.all(
    parts.map((part) => {
      if (part.length === 0) return run(writePart(temp, part), {});
      const input = createReadStream(local, { start: part.offset, end: part.offset + part.length - 1 });
      shown.count(() => input.bytesRead);
      return run(writePart(temp, part), { input });
    }),
  ).finally(() => shown.stop());
  const transferSeconds = (performance.now() - started) / 1000;
  const failed = parts.findIndex((_, index) => results[index]!.code !== 0);
  if (failed >= 0) {
    await run(removeFile(temp), {}).catch(() => undefined);
    throw failedPart(parts[failed]!, parts.length, results[failed]!, "written", sshHint);
  }
  const verified = await run(verifyAndRename(temp, final, sha256), {});
  if (verified.code !== 0) {
    throw new CopyFailedError(
      `the copy on ${remote.host} does not match ${local} (${lastLine(verified.stderr)}); it was removed`,
      {
        hint: "run tobira cp again; if it keeps happening, compare the sha256 of both files",
      },
    );
  }
  return {
    direction: "upload",
    destination: `${remote.host}:${final}`,
    bytes: size,
    sha256,
    parts: parts.length,
    transferSeconds,
  };
}

/** Instance → local file: size and sha256 first, parts read in parallel into a temporary file, checksum, rename. */
export async function download(
  run: RemoteRunner,
  remote: RemotePath,
  local: string,
  settings: CopySettings,
): Promise<CopySummary> {
  const { sessions, sshHint = () => undefined, progress = noProgress } = settings;
  const probe = await run(probeSource(remote.path), {});
  const [sizeText, sha256] = probe.stdout.trim().split(/\s+/);
  const size = Number(sizeText);
  if (probe.code !== 0 || !Number.isSafeInteger(size) || !/^[0-9a-f]{64}$/.test(sha256 ?? "")) {
    throw failedStep(`cannot read ${remote.path} on ${remote.host}`, probe, sshHint);
  }
  const isFolder = (await fs.stat(local).catch(() => undefined))?.isDirectory() === true;
  const final = isFolder ? join(local, posix.basename(remote.path)) : local;
  const temp = temporaryName(final);
  await fs.writeFile(temp, "", { flag: "wx" });
  try {
    await fs.truncate(temp, size);
    const parts = partsOf(size, sessions);
    const started = performance.now();
    const shown = progress(size);
    const results = await Promise.all(
      parts.map((part) => readInto(run, remote.path, temp, part, shown)),
    ).finally(() => shown.stop());
    const transferSeconds = (performance.now() - started) / 1000;
    const failed = parts.findIndex((_, index) => results[index]!.code !== 0);
    if (failed >= 0) throw failedPart(parts[failed]!, parts.length, results[failed]!, "read", sshHint);
    const got = await sha256OfFile(temp);
    if (got !== sha256) {
      throw new CopyFailedError(
        `the copy of ${remote.path} does not match the instance's sha256 (${got} ≠ ${sha256}); it was removed`,
        {
          hint: "was the file changing while it was copied? Run tobira cp again",
        },
      );
    }
    await fs.rename(temp, final);
    return {
      direction: "download",
      destination: final,
      bytes: size,
      sha256,
      parts: parts.length,
      transferSeconds,
    };
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** One part of a download written at its offset; a short part (the file shrank) is a failure. */
async function readInto(
  run: RemoteRunner,
  path: string,
  temp: string,
  part: Part,
  shown: CopyProgress,
): Promise<SshResult> {
  const output = createWriteStream(temp, { flags: "r+", start: part.offset });
  shown.count(() => output.bytesWritten);
  const result = await run(readPart(path, part), { output });
  await new Promise<void>((resolve, reject) =>
    output.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  if (result.code === 0 && output.bytesWritten !== part.length) {
    return {
      ...result,
      code: 1,
      stderr: `${result.stderr}\nreceived ${output.bytesWritten} of ${part.length} bytes`,
    };
  }
  return result;
}
