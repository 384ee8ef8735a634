import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { parseSpec } from "../../lib/sweep/spec";
import { resolveSpec } from "../../lib/sweep/resolve";
import { expandSpec, SWEEP_CODE_VERSION, type RunPlan } from "../../lib/sweep/expand";
import { failedRecord, type RunRecord } from "../../lib/sweep/record";
import { assertWritable, cleanTempFiles, onInvalidRecord, readRecords, recordPath, runsDir, TEMP_PREFIX, writeAll, writeFileAtomic, writeRecord } from "../../lib/sweep/store";
import { CLAIM_STALE_MS, claimPath, claimRun } from "../../lib/sweep/claims";
import { ConfigError, DataError } from "../../lib/util/errors";

/**
 * Issue 18's failures 1, 2 and 5 as tests: a full disk never leaves a partial record under its final
 * name, an unwritable results folder is refused before anything trains, and run claims keep two
 * sweeps of one folder from training a run twice.
 */

const [plan, other] = expandSpec(
  resolveSpec(
    parseSpec({ name: "unit-durable", seq: 32, family: { headSize: 8 }, budgets: [2e8], design: { kind: "hyperparams", modelScale: 26_400, batchTokens: { values: [64, 128] }, learningRate: { values: [1e-3] } } }),
    {},
  ),
).runs as [RunPlan, RunPlan];

/** A valid record of `bytes` or more (its error text pads it). */
function recordOfSize(p: RunPlan, bytes: number): RunRecord {
  return failedRecord(p, "x".repeat(bytes), SWEEP_CODE_VERSION, 1, 1);
}

function withRoot(fn: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), "durable-test-"));
  try {
    fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Mounts a tmpfs of `kib` KiB for `fn`, or returns false where mounting is not permitted (not root). */
function withTmpfs(kib: number, fn: (dir: string) => void): boolean {
  const dir = mkdtempSync(join(tmpdir(), "durable-tmpfs-"));
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${kib}k`, "tmpfs", dir]).status === 0;
  try {
    if (mounted) fn(dir);
  } finally {
    if (mounted) execFileSync("umount", [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
  return mounted;
}

test("writeRecord on a full disk (200 KiB tmpfs) throws a DataError naming the file; no partial file under the final name, no temp file, the old record intact", (t) => {
  const mounted = withTmpfs(200, (root) => {
    const small = recordOfSize(plan, 1000);
    const path = writeRecord(root, small);
    const before = readFileSync(path, "utf8");
    // Before the fix: a 4096-byte prefix of invalid JSON under runs/<key>.json, then a stack.
    assert.throws(() => writeRecord(root, recordOfSize(plan, 400_000)), (e: unknown) => e instanceof DataError && e.message.includes(path) && /disk is full/.test(e.message));
    assert.equal(readFileSync(path, "utf8"), before, "the stored record is unchanged");
    assert.throws(() => writeRecord(root, recordOfSize(other, 400_000)), DataError);
    assert.ok(!existsSync(recordPath(root, "unit-durable", other.key)), "no file under the new record's final name");
    assert.deepEqual(readdirSync(runsDir(root, "unit-durable")), [`${plan.key}.json`], "no temp file left");
  });
  if (!mounted) t.skip("mount -t tmpfs is not permitted here; the injected-ENOSPC test covers the write path");
});

test("writeFileAtomic with an injected short write then ENOSPC leaves nothing under the final name and removes its temp file", () => {
  withRoot((root) => {
    const path = join(root, "runs", "a.json");
    let calls = 0;
    const write = (_fd: number, _b: Uint8Array, _o: number, length: number): number => {
      if (++calls === 1) return Math.min(length, 4096);
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    };
    assert.throws(() => writeFileAtomic(path, "y".repeat(10_000), write), (e: unknown) => e instanceof DataError && /a\.json: cannot write: ENOSPC.*disk is full/.test(e.message));
    assert.deepEqual(readdirSync(join(root, "runs")), []);
  });
});

test("writeAll writes every byte across short writes and refuses a write of 0 bytes", () => {
  const chunks: number[] = [];
  writeAll(3, new Uint8Array(10), (_fd, _b, offset, length) => (chunks.push(offset), Math.min(3, length)));
  assert.deepEqual(chunks, [0, 3, 6, 9]);
  assert.throws(() => writeAll(3, new Uint8Array(5), () => 0), /wrote 0 of 5 bytes/);
});

test("assertWritable refuses a results path that is a file, or on a read-only mount, with a ConfigError naming the folder", (t) => {
  withRoot((root) => {
    const file = join(root, "a-file");
    writeFileSync(file, "");
    assert.throws(() => assertWritable(join(file, "tiny", "runs")), (e: unknown) => e instanceof ConfigError && e.message.startsWith(`--results: files cannot be written to ${join(file, "tiny", "runs")} (${file} is a file, not a folder)`));
    assertWritable(join(root, "fresh", "tiny", "runs"));
    assert.deepEqual(readdirSync(root), ["a-file"], "nothing is created, the probe is removed");
  });
  const mounted = withTmpfs(64, (dir) => {
    execFileSync("mount", ["-o", "remount,ro", dir]);
    assert.throws(() => assertWritable(join(dir, "tiny", "runs")), (e: unknown) => e instanceof ConfigError && /read-only file system/i.test(e.message));
  });
  if (!mounted) t.skip("mount is not permitted here: the read-only case is not run");
});

test("cleanTempFiles removes a dead writer's temp files in runs/, fits/ and the experiment folder, and keeps a live writer's", () => {
  withRoot((root) => {
    const exp = join(root, "e");
    for (const d of ["runs", "fits"]) mkdirSync(join(exp, d), { recursive: true });
    const dead = 2 ** 22 + 17; // above Linux's default pid_max (2^22): no such process
    const files = [join(exp, "runs", `${TEMP_PREFIX}${dead}-a`), join(exp, "fits", `${TEMP_PREFIX}${dead}-b`), join(exp, `${TEMP_PREFIX}${dead}-c`)];
    for (const f of files) writeFileSync(f, "partial");
    const live = join(exp, "runs", `${TEMP_PREFIX}${process.pid}-d`);
    writeFileSync(live, "in progress");
    assert.deepEqual(cleanTempFiles(root, "e").sort(), [...files].sort());
    assert.ok(existsSync(live), "a live writer's temp file is kept");
    const old = (Date.now() - 2 * 3_600_000) / 1000;
    utimesSync(live, old, old);
    assert.deepEqual(cleanTempFiles(root, "e"), [live], "…unless it is hours old (a reused pid)");
  });
});

test("readRecords names every unreadable record file once through its sink", () => {
  withRoot((root) => {
    const path = writeRecord(root, recordOfSize(plan, 10));
    writeFileSync(path, "{\"schemaVersion\":1,");
    const named: string[] = [];
    const previous = onInvalidRecord((file) => named.push(file));
    try {
      assert.equal(readRecords(root, "unit-durable").invalid.length, 1);
      readRecords(root, "unit-durable");
      assert.deepEqual(named, [path]);
    } finally {
      onInvalidRecord(previous);
    }
  });
});

test("claimRun: a second claimant is refused while the holder lives, and takes over once it is killed (kill -9) or its claim is stale", () => {
  withRoot((root) => {
    mkdirSync(runsDir(root, "unit-durable"), { recursive: true });
    const first = claimRun(root, "unit-durable", plan.key);
    assert.ok(first.claimed);
    const second = claimRun(root, "unit-durable", plan.key);
    assert.ok(!second.claimed && second.heldBy.pid === process.pid && second.heldBy.host === hostname());
    first.release();
    assert.ok(!existsSync(claimPath(root, "unit-durable", plan.key)));
    // A holder killed with SIGKILL leaves its claim behind: its pid is dead, so the claim is stale.
    const child = spawnSync(process.execPath, ["-e", `require("fs").writeFileSync(${JSON.stringify(claimPath(root, "unit-durable", plan.key))}, JSON.stringify({ pid: process.pid, host: ${JSON.stringify(hostname())}, since: "2026-01-01T00:00:00Z" })); process.kill(process.pid, "SIGKILL")`]);
    assert.equal(child.signal, "SIGKILL");
    const taken = claimRun(root, "unit-durable", plan.key);
    assert.ok(taken.claimed, "a dead holder's claim is taken over");
    taken.release();
    // Another host's claim (its pid cannot be checked) expires once untouched for CLAIM_STALE_MS.
    writeFileSync(claimPath(root, "unit-durable", plan.key), JSON.stringify({ pid: 1, host: "elsewhere", since: "2026-01-01T00:00:00Z" }));
    assert.ok(!claimRun(root, "unit-durable", plan.key).claimed);
    assert.ok(claimRun(root, "unit-durable", plan.key, Date.now() + CLAIM_STALE_MS + 1000).claimed);
  });
});
