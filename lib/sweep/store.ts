import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { runRecordSchema, type RunRecord } from "./record";

/**
 * The results store: `<root>/<experiment>/runs/<key>.json`, one file per run. A record is written
 * to a temp file in the same folder, fsynced, then renamed over its final name, so a crash never
 * leaves a half-written file that looks like a record; leftover `tmp-*` files are not records and
 * are removed by `cleanTempFiles`.
 */

/** Prefix of in-progress files (ignored in .gitignore as results/**\/tmp-*). */
export const TEMP_PREFIX = "tmp-";

export function experimentDir(root: string, experiment: string): string {
  return join(root, experiment);
}

export function runsDir(root: string, experiment: string): string {
  return join(root, experiment, "runs");
}

export function recordPath(root: string, experiment: string, key: string): string {
  return join(runsDir(root, experiment), `${key}.json`);
}

/** Write `content` to `path` atomically: temp file in the same folder, fsync, rename, fsync the folder. */
export function writeFileAtomic(path: string, content: string): void {
  const dir = join(path, "..");
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `${TEMP_PREFIX}${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  const dirFd = openSync(dir, "r");
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/** Store one record (validated first, so the store only ever holds valid records). */
export function writeRecord(root: string, record: RunRecord): string {
  const valid = runRecordSchema.parse(record);
  const path = recordPath(root, valid.experiment, valid.key);
  writeFileAtomic(path, `${JSON.stringify(valid, null, 1)}\n`);
  return path;
}

export interface StoredRecords {
  readonly records: readonly RunRecord[];
  /** Files that are named like records but do not parse (never written by this store). */
  readonly invalid: ReadonlyArray<{ readonly file: string; readonly reason: string }>;
}

/** Every record of an experiment, sorted by key; temp files are not records. */
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
  return { records, invalid };
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

/** Remove leftover temp files (a writer that crashed mid-write); returns what was removed. */
export function cleanTempFiles(root: string, experiment: string): string[] {
  const dir = runsDir(root, experiment);
  if (!existsSync(dir)) return [];
  const removed = readdirSync(dir).filter((n) => n.startsWith(TEMP_PREFIX)).map((n) => join(dir, n));
  for (const file of removed) rmSync(file, { force: true });
  return removed;
}
