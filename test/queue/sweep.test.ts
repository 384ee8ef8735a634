import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { parseSpec } from "../../lib/sweep/spec";
import { resolveSpec } from "../../lib/sweep/resolve";
import { expandSpec, type RunPlan } from "../../lib/sweep/expand";
import { runSweep } from "../../lib/sweep/runner";
import { readRecords, runsDir, TEMP_PREFIX } from "../../lib/sweep/store";
import type { RunRecord } from "../../lib/sweep/record";
import { runQueueSweep } from "../../lib/queue/sweep";
import { runQueueName } from "../../lib/queue/job";
import { parseQueueUrl } from "../../lib/queue/url";
import { makeCorpus, microSpec, startRedis, startsPerKey, startWorker, type RedisServer, type WorkerProcess } from "./harness";

/**
 * `runQueueSweep` against a real redis-server and real `scaling worker` processes training real
 * micro runs. One Redis per file (each test its own queue contents: it is emptied between tests).
 */

/** Longest one micro sweep may take on a busy 2-core machine. */
const SWEEP_TIMEOUT_MS = 120_000;
/** Short poll so a test never waits long on a missed event. */
const POLL_SECONDS = 1;
/** Stall timeout of the workers here: long enough that a busy machine never makes a live worker look dead. */
const STALL_SECONDS = "15";

let dir = "";
let corpus = "";
let redis: RedisServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "queue-sweep-"));
  corpus = makeCorpus(join(dir, "corpus"));
  redis = await startRedis({ dir: join(dir, "redis") });
});

after(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const plansOf = (name: string, batches?: [number, ...number[]]): RunPlan[] => [...expandSpec(resolveSpec(parseSpec(microSpec(name, corpus, batches)), {})).runs];

async function emptyQueue(): Promise<void> {
  const queue = new Queue(runQueueName("wasm"), { connection: { url: redis.url, maxRetriesPerRequest: null } });
  await queue.obliterate({ force: true });
  await queue.close();
}

async function withWorkers<T>(count: number, body: (workers: WorkerProcess[]) => Promise<T>): Promise<T> {
  const workers = Array.from({ length: count }, () => startWorker(redis.url, ["--stall-seconds", STALL_SECONDS]));
  try {
    await Promise.all(workers.map((w) => w.waitFor((e) => e.event === "ready", 30_000)));
    return await body(workers);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

/** Records without the fields that measure time (they differ between any two trainings). */
function untimed(r: RunRecord): Omit<RunRecord, "wallSeconds" | "tokensPerSecond"> {
  const { wallSeconds: _w, tokensPerSecond: _t, ...rest } = r;
  return rest;
}

test("runQueueSweep(plans) through two worker processes records every run exactly once", { timeout: SWEEP_TIMEOUT_MS }, async (t) => {
  await emptyQueue();
  const plans = plansOf("q-two");
  const results = join(dir, "results-two");
  await withWorkers(2, async (workers) => {
    const summary = await runQueueSweep(plans, { queue: parseQueueUrl(redis.url), resultsDir: results, pollSeconds: POLL_SECONDS, signal: t.signal });
    const { records, invalid } = readRecords(results, "q-two");
    const why = records.map((r) => r.error).filter(Boolean).join("; ");
    assert.deepEqual({ trained: summary.trained, failed: summary.failed, pending: summary.pending }, { trained: 3, failed: 0, pending: 0 }, why);
    assert.equal(invalid.length, 0);
    assert.deepEqual(records.map((r) => r.key).sort(), plans.map((p) => p.key).sort());
    assert.ok(records.every((r) => r.status === "ok" && r.bitsPerByte !== null && r.attempts === 1));
    const starts = startsPerKey(workers);
    assert.deepEqual([...starts.values()], [1, 1, 1], "each run trained once");
    assert.equal(new Set(workers.flatMap((w) => w.events().filter((e) => e.event === "started").map((e) => e.pid))).size, 2, "both workers trained");
    assert.deepEqual(readdirSync(runsDir(results, "q-two")).filter((n) => n.startsWith(TEMP_PREFIX)), []);
  });
});

test("runQueueSweep(plans) started twice at once, then again, trains each run once and records it once", { timeout: SWEEP_TIMEOUT_MS }, async (t) => {
  await emptyQueue();
  const plans = plansOf("q-twice");
  const results = join(dir, "results-twice");
  const options = { queue: parseQueueUrl(redis.url), resultsDir: results, pollSeconds: POLL_SECONDS, signal: t.signal };
  await withWorkers(2, async (workers) => {
    const [a, b] = await Promise.all([runQueueSweep(plans, options), runQueueSweep(plans, options)]);
    assert.equal(a.failed + b.failed, 0);
    assert.deepEqual([...startsPerKey(workers).values()], [1, 1, 1], "the second sweep re-attached to the first one's jobs");
    const third = await runQueueSweep(plans, options);
    assert.deepEqual({ skipped: third.skipped, trained: third.trained }, { skipped: 3, trained: 0 }, "recorded keys are not enqueued again");
    assert.equal([...startsPerKey(workers).values()].reduce((s, n) => s + n, 0), 3);
    const { records, invalid } = readRecords(results, "q-twice");
    assert.equal(invalid.length, 0);
    assert.deepEqual(records.map((r) => r.key).sort(), plans.map((p) => p.key).sort());
  });
});

test("runQueueSweep(plans) across Redis restarts (appendonly yes) loses no finished result and trains nothing again", { timeout: 2 * SWEEP_TIMEOUT_MS }, async (t) => {
  await emptyQueue();
  const plans = plansOf("q-restart");
  const results = join(dir, "results-restart");
  const options = { queue: parseQueueUrl(redis.url), resultsDir: results, pollSeconds: POLL_SECONDS, signal: t.signal };
  // Enqueue only: this sweep is interrupted at once, so the first result lives only in Redis.
  const controller = new AbortController();
  const first = await runQueueSweep(plans, { ...options, signal: controller.signal, onProgress: () => controller.abort() });
  assert.deepEqual({ interrupted: first.interrupted, pending: first.pending }, { interrupted: true, pending: 3 });
  await withWorkers(1, async ([worker]) => {
    const completed = (n: number) => worker!.waitFor(() => worker!.events().filter((e) => e.event === "completed").length >= n, SWEEP_TIMEOUT_MS);
    await completed(1);
    await redis.restart();
    const notices: string[] = [];
    const second = runQueueSweep(plans, { ...options, onNotice: (m) => notices.push(m) });
    await completed(2);
    await redis.restart(); // again, with this sweep attached and the worker busy
    const summary = await second;
    assert.deepEqual({ trained: summary.trained, failed: summary.failed, skipped: summary.skipped }, { trained: 3, failed: 0, skipped: 0 });
    assert.deepEqual([...startsPerKey([worker!]).values()], [1, 1, 1], "no run was trained again");
  });
  const { records } = readRecords(results, "q-restart");
  assert.deepEqual(records.map((r) => r.key).sort(), plans.map((p) => p.key).sort());
  assert.ok(records.every((r) => r.status === "ok" && r.bitsPerByte !== null));
});

test("runQueueSweep(plans) writes the same records as runSweep(plans) on the local pool, up to timing fields", { timeout: SWEEP_TIMEOUT_MS }, async (t) => {
  await emptyQueue();
  const plans = plansOf("q-same", [128, 256]);
  const local = join(dir, "results-local");
  const queued = join(dir, "results-queued");
  await runSweep(plans, { resultsDir: local, workers: 2 });
  await withWorkers(1, () => runQueueSweep(plans, { queue: parseQueueUrl(redis.url), resultsDir: queued, pollSeconds: POLL_SECONDS, signal: t.signal }));
  const a = readRecords(local, "q-same").records;
  const b = readRecords(queued, "q-same").records;
  assert.equal(a.length, 2);
  assert.deepEqual(b.map(untimed), a.map(untimed));
});

test("runQueueSweep(plans) records a run that fails every attempt as failed, with the worker's error, after `retries` + 1 attempts; the next sweep retries it", { timeout: SWEEP_TIMEOUT_MS }, async (t) => {
  await emptyQueue();
  const gone = makeCorpus(join(dir, "vanishing-corpus"));
  const plans = [...expandSpec(resolveSpec(parseSpec(microSpec("q-fail", gone, [128])), {})).runs];
  rmSync(gone, { recursive: true }); // the corpus disappears after planning: every attempt throws
  const results = join(dir, "results-fail");
  await withWorkers(1, async ([worker]) => {
    const summary = await runQueueSweep(plans, { queue: parseQueueUrl(redis.url), resultsDir: results, retries: 1, pollSeconds: POLL_SECONDS, signal: t.signal });
    assert.deepEqual({ failed: summary.failed, trained: summary.trained }, { failed: 1, trained: 0 });
    assert.equal(worker!.events().filter((e) => e.event === "failed").length, 2, "1 attempt + 1 retry, then no more");
    const [failed] = readRecords(results, "q-fail").records;
    assert.equal(failed?.status, "failed");
    assert.equal(failed?.attempts, 2);
    assert.match(failed?.error ?? "", /corpus/);
    assert.match(failed?.error ?? "", /after 2 attempts/);

    makeCorpus(gone); // the cause is fixed: the same failed job is retried, not enqueued anew
    const again = await runQueueSweep(plans, { queue: parseQueueUrl(redis.url), resultsDir: results, retries: 1, pollSeconds: POLL_SECONDS, signal: t.signal });
    assert.deepEqual({ failed: again.failed, trained: again.trained }, { failed: 0, trained: 1 });
    const [fixed] = readRecords(results, "q-fail").records;
    assert.deepEqual({ status: fixed?.status, attempts: fixed?.attempts }, { status: "ok", attempts: 1 });
  });
});
