import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { ConfigError, DataError } from "../util/errors";
import { runRecordSchema, type RunRecord } from "./record";

/**
 * The results store: `<root>/<experiment>/runs/<key>.json`, one file per run, one line of JSON. A
 * record is written to a temp file in the same folder, every byte checked written, fsynced, then
 * renamed over its final name, so a crash or a full disk never leaves a partial file under a final
 * name; a failed write removes its temp file, and `cleanTempFiles` removes those of writers that
 * died (kill -9) on the next start.
 */

/** Prefix of in-progress files (ignored in .gitignore as results/**\/tmp-*). */
export const TEMP_PREFIX = "tmp-";

/** A temp file older than this is a dead writer's even when its pid was reused (a record write takes milliseconds). */
const TEMP_MAX_AGE_MS = 3_600_000;

export function experimentDir(root: string, experiment: string): string {
  return join(root, experiment);
}

export function runsDir(root: string, experiment: string): string {
  return join(root, experiment, "runs");
}

export function recordPath(root: string, experiment: string, key: string): string {
  return join(runsDir(root, experiment), `${key}.json`);
}

/** The write call, a seam so tests can inject a short write or ENOSPC where no small filesystem can be mounted. */
export type WriteFn = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

/** Write every byte of `buffer` (writeSync may write fewer than asked); a call that writes nothing is an error. */
export function writeAll(fd: number, buffer: Uint8Array, write: WriteFn = writeSync): void {
  for (let offset = 0; offset < buffer.length; ) {
    const n = write(fd, buffer, offset, buffer.length - offset);
    if (!(n > 0)) throw Object.assign(new Error(`wrote 0 of ${buffer.length - offset} bytes`), { code: "EIO" });
    offset += n;
  }
}

/** The OS error of a failed write as one line naming the file and what to do. */
function writeError(path: string, e: unknown): DataError {
  const code = (e as NodeJS.ErrnoException).code ?? "";
  const hint =
    code === "ENOSPC" || code === "EDQUOT"
      ? "the disk is full: free space or pass another --results folder, then run again (nothing stored was lost)"
      : code === "EACCES" || code === "EPERM" || code === "EROFS"
        ? "the folder is not writable: fix its permissions or pass another --results folder"
        : "check the folder and run again";
  return new DataError(`cannot write: ${(e as Error).message}`, path, hint);
}

function fsyncDir(dir: string): void {
  const dirFd = openSync(dir, "r");
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/**
 * Write `content` to `path` atomically: temp file in the same folder, every byte written, fsync,
 * rename, fsync the folder. On any failure the temp file is removed, `path` keeps its old content
 * (or stays absent), and a DataError names the file.
 */
export function writeFileAtomic(path: string, content: string, write: WriteFn = writeSync): void {
  const dir = join(path, "..");
  const temp = join(dir, `${TEMP_PREFIX}${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(temp, "w");
    try {
      writeAll(fd, Buffer.from(content, "utf8"), write);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    fsyncDir(dir);
  } catch (e) {
    rmSync(temp, { force: true });
    throw writeError(path, e);
  }
}

/**
 * Check, before any training or fitting, that files can be written under `dir` (e.g. the runs folder
 * of an experiment), without creating it: its nearest existing ancestor must be a writable folder
 * that takes a probe file. A ConfigError at `flag` names the folder otherwise.
 */
export function assertWritable(dir: string, flag = "--results"): void {
  try {
    let existing = dir;
    while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
    if (!statSync(existing).isDirectory()) throw new Error(`${existing} is a file, not a folder`);
    // mkdir on a read-only mount fails as ENOENT; access names the real reason (EROFS, EACCES).
    accessSync(existing, constants.W_OK);
    const probe = join(existing, `${TEMP_PREFIX}probe-${process.pid}`);
    writeFileAtomic(probe, "probe\n");
    rmSync(probe, { force: true });
  } catch (e) {
    const why = e instanceof DataError ? e.message.replace(/ — .*$/, "") : (e as Error).message;
    throw new ConfigError(`files cannot be written to ${dir} (${why})`, flag, "pass a writable folder, or fix its permissions or free space, and run again");
  }
}

/** A record as stored: one line of JSON (readable, not pretty-printed) and a newline. */
export function formatRecord(record: RunRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** Store one record (validated first, so the store only ever holds valid records). */
export function writeRecord(root: string, record: RunRecord, write: WriteFn = writeSync): string {
  const valid = runRecordSchema.parse(record);
  const path = recordPath(root, valid.experiment, valid.key);
  writeFileAtomic(path, formatRecord(valid), write);
  return path;
}

export interface StoredRecords {
  readonly records: readonly RunRecord[];
  /** Files that are named like records but do not parse (never written by this store). */
  readonly invalid: ReadonlyArray<{ readonly file: string; readonly reason: string }>;
}

/** Where unreadable record files are named (once per file per process); tests replace it. */
let reportInvalid = (file: string, reason: string): void => {
  process.stderr.write(`scaling: not a record, left out: ${file} (${reason}) — move it away or delete it; \`scaling sweep\` retrains its run\n`);
};
const reported = new Set<string>();

/** Replace the sink that names unreadable record files; returns the previous one. */
export function onInvalidRecord(sink: (file: string, reason: string) => void): (file: string, reason: string) => void {
  const previous = reportInvalid;
  reportInvalid = sink;
  reported.clear();
  return previous;
}

/** Every record of an experiment, sorted by key; temp and claim files are not records; unreadable ones are named. */
export function readRecords(root: string, experiment: string): StoredRecords {
  const dir = runsDir(root, experiment);
  if (!existsSync(dir)) return { records: [], invalid: [] };
  const records: RunRecord[] = [];
  const invalid: Array<{ file: string; reason: string }> = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(TEMP_PREFIX) || !name.endsWith(".json")) continue;
    const file = join(dir, name);
    try {
      const parsed = runRecordSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
      if (parsed.success && `${parsed.data.key}.json` === name) records.push(parsed.data);
      else invalid.push({ file, reason: parsed.success ? "key does not match the file name" : parsed.error.issues[0]?.message ?? "invalid" });
    } catch (e) {
      invalid.push({ file, reason: (e as Error).message });
    }
  }
  for (const bad of invalid) {
    if (reported.has(bad.file)) continue;
    reported.add(bad.file);
    reportInvalid(bad.file, bad.reason);
  }
  return { records, invalid };
}

/** The stored record of one run, or undefined when there is none (or it does not parse). */
export function readRecord(root: string, experiment: string, key: string): RunRecord | undefined {
  try {
    const parsed = runRecordSchema.safeParse(JSON.parse(readFileSync(recordPath(root, experiment, key), "utf8")));
    return parsed.success && parsed.data.key === key ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The records of `experiment` and, by key, those of the experiments it reuses that it has not
 * itself (its own record of a key wins). Records keep their own `experiment` field.
 */
export function readRecordsOf(root: string, experiment: string, reuse: readonly string[] = []): StoredRecords {
  const own = readRecords(root, experiment);
  const seen = new Set(own.records.map((r) => r.key));
  const records = [...own.records];
  const invalid = [...own.invalid];
  for (const other of reuse) {
    const stored = readRecords(root, other);
    invalid.push(...stored.invalid);
    for (const r of stored.records) {
      if (seen.has(r.key)) continue;
      seen.add(r.key);
      records.push(r);
    }
  }
  return { records: records.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)), invalid };
}

/** True when process `pid` runs on this machine (EPERM: it runs, as another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Temp files of `dir` whose writer is gone: its pid is dead, or the file is older than TEMP_MAX_AGE_MS. */
function deadTempFiles(dir: string, now: number): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.startsWith(TEMP_PREFIX))
    .map((n) => join(dir, n))
    .filter((file) => {
      const pid = Number(/^tmp-(?:probe-)?(\d+)/.exec(file.slice(dir.length + 1))?.[1]);
      try {
        return !(Number.isInteger(pid) && pid > 0 && pidAlive(pid)) || now - statSync(file).mtimeMs > TEMP_MAX_AGE_MS;
      } catch {
        return false; // removed meanwhile
      }
    });
}

/** Remove temp files left by writers that died mid-write (runs/, fits/, figures/, the experiment folder); returns what was removed. */
export function cleanTempFiles(root: string, experiment: string, now = Date.now()): string[] {
  const base = experimentDir(root, experiment);
  const removed = [base, runsDir(root, experiment), join(base, "fits"), join(base, "figures")].flatMap((dir) => deadTempFiles(dir, now));
  for (const file of removed) rmSync(file, { force: true });
  return removed;
}
