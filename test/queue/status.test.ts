import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSpec } from "../../lib/sweep/spec";
import { resolveSpec } from "../../lib/sweep/resolve";
import { expandSpec, type RunPlan } from "../../lib/sweep/expand";
import { readRecords } from "../../lib/sweep/store";
import { runQueueSweep } from "../../lib/queue/sweep";
import { queueCounts, queueRunStates } from "../../lib/queue/status";
import { parseQueueUrl } from "../../lib/queue/url";
import { makeCorpus, microSpec, ROOT, startRedis, startWorker, type RedisServer } from "./harness";

/**
 * `queueRunStates` and `scaling status --queue` against a real redis-server and a real `scaling
 * worker`: jobs enqueued with no worker are waiting; a worker takes them (active), finishes them
 * (completed but not recorded), and a sweep records them.
 */

/** Longest the worker may take to train the two micro runs on a busy 2-core machine. */
const TRAIN_TIMEOUT_MS = 90_000;
/** Short poll so a recording sweep never waits long on a missed event. */
const POLL_SECONDS = 1;

let dir = "";
let corpus = "";
let specFile = "";
let redis: RedisServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "queue-status-"));
  corpus = makeCorpus(join(dir, "corpus"));
  redis = await startRedis({ dir: join(dir, "redis"), persistent: false });
  const specDir = join(dir, "s-status"); // a spec's folder is named after it
  mkdirSync(specDir, { recursive: true });
  writeFileSync(join(specDir, "package.json"), '{"type":"module"}\n');
  specFile = join(specDir, "spec.ts");
  writeFileSync(specFile, `export default ${JSON.stringify(microSpec("s-status", corpus, [128, 256]))};\n`);
});

after(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const plansOf = (name: string, batches: [number, ...number[]], backend?: "cpu"): RunPlan[] => [
  ...expandSpec(resolveSpec(parseSpec({ ...microSpec(name, corpus, batches), ...(backend ? { backend } : {}) }), {})).runs,
];

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `scaling status …` in its own process (async, so several can run at once). */
function scaling(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [join(ROOT, "bin/scaling.mjs"), "status", ...args], { cwd: ROOT, env: { ...process.env, SCALING_QUEUE_URL: "", ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => void (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => void (stderr += c.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

interface StatusJson {
  budgets: { budget: number; planned: number; ok: number; pending: number; queue?: Record<string, number> }[];
  queue?: { url: string; workers: number | null; lanes: { backend: string; name: string; workers: number | null }[]; states: Record<string, string> };
}

test("queueRunStates(plans, queue) follows jobs from waiting (no worker) to active and completed; scaling status --queue counts them until a sweep records them", { timeout: 2 * TRAIN_TIMEOUT_MS }, async (t) => {
  const queue = parseQueueUrl(redis.url);
  const results = join(dir, "results");
  const plans = plansOf("s-status", [128, 256]);
  const never = [...plansOf("s-never", [64]), ...plansOf("s-never-cpu", [64], "cpu")];
  // Enqueue only: the sweep is interrupted at its first progress report, after every job is added.
  const controller = new AbortController();
  await runQueueSweep(plans, { queue, resultsDir: results, signal: controller.signal, onProgress: () => controller.abort() });

  const idle = await queueRunStates([...plans, ...never], queue);
  assert.deepEqual(idle.states, { [plans[0]!.key]: "waiting", [plans[1]!.key]: "waiting", [never[0]!.key]: "unknown", [never[1]!.key]: "unknown" });
  assert.deepEqual(idle.lanes, [
    { backend: "wasm", name: "scaling-runs-wasm", workers: 0 },
    { backend: "cpu", name: "scaling-runs-cpu", workers: 0 },
  ]);
  assert.equal(idle.workers, 0);
  assert.deepEqual(queueCounts([...plans, ...never], [], idle.states), [
    { budget: 1e8, queued: 2, training: 0, doneOnWorker: 0, failedOnWorker: 0, notQueued: 2 },
  ]);

  const cli = await scaling([specFile, "--results", results, "--queue", redis.url]);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /budget +planned +ok +diverged +failed +pending +queued +training +done on worker +failed on worker +not queued/);
  assert.match(cli.stdout, /\n1\.00e\+8 +2 +0 +0 +0 +2 +2 +0 +0 +0 +0\n/);
  assert.match(cli.stdout, /^workers connected: 0 \(scaling-runs-wasm on redis:\/\/127\.0\.0\.1:\d+\)$/m);

  const worker = startWorker(redis.url, ["--stall-seconds", "15"]);
  try {
    const started = await worker.waitFor((e) => e.event === "started", TRAIN_TIMEOUT_MS);
    // Concurrency 1: one run is held by the worker (its training child takes seconds to start), the other waits.
    const busy = await queueRunStates(plans, queue);
    assert.deepEqual(Object.values(busy.states).sort(), ["active", "waiting"]);
    assert.equal(busy.states[started.key!], "active");
    assert.equal(busy.workers, 1, "one scaling worker process is one BullMQ worker");

    await worker.waitFor(() => worker.events().filter((e) => e.event === "completed").length === 2, TRAIN_TIMEOUT_MS);
    const done = await queueRunStates(plans, queue);
    assert.deepEqual(Object.values(done.states), ["completed", "completed"]);
    const unrecorded = await scaling([specFile, "--results", results, "--json"], { SCALING_QUEUE_URL: redis.url });
    assert.equal(unrecorded.code, 0, unrecorded.stderr);
    const before = JSON.parse(unrecorded.stdout) as StatusJson;
    assert.deepEqual(before.budgets[0], {
      budget: 1e8, planned: 2, ok: 0, diverged: 0, failed: 0, pending: 2,
      queue: { queued: 0, training: 0, doneOnWorker: 2, failedOnWorker: 0, notQueued: 0 },
    });
    assert.deepEqual(before.queue?.lanes, [{ backend: "wasm", name: "scaling-runs-wasm", workers: 1 }]);

    const summary = await runQueueSweep(plans, { queue, resultsDir: results, pollSeconds: POLL_SECONDS, signal: t.signal });
    assert.deepEqual({ trained: summary.trained, failed: summary.failed }, { trained: 2, failed: 0 });
  } finally {
    await worker.stop();
  }
  assert.equal(readRecords(results, "s-status").records.length, 2);
  const recorded = JSON.parse((await scaling([specFile, "--results", results, "--json", "--queue", redis.url])).stdout) as StatusJson;
  assert.deepEqual({ ok: recorded.budgets[0]?.ok, pending: recorded.budgets[0]?.pending, queue: recorded.budgets[0]?.queue }, {
    ok: 2, pending: 0, queue: { queued: 0, training: 0, doneOnWorker: 0, failedOnWorker: 0, notQueued: 0 },
  });
  assert.deepEqual(Object.values(recorded.queue?.states ?? {}), ["completed", "completed"], "jobs are kept after recording");
  assert.equal(recorded.queue?.workers, 0, "the stopped worker is gone");
});

test("scaling status --queue with an unreachable Redis exits 2 with one redacted line naming the flag (or the variable); without a queue BullMQ is never loaded", { timeout: 60_000 }, async () => {
  const hooks = join(dir, "no-bullmq");
  mkdirSync(hooks, { recursive: true });
  // A resolve hook that fails the process if anything imports bullmq or ioredis.
  writeFileSync(join(hooks, "hooks.mjs"), "export async function resolve(s, c, next) { if (/^(bullmq|ioredis)(\\/|$)/.test(s)) throw new Error(`loaded ${s}`); return next(s, c); }\n");
  writeFileSync(join(hooks, "register.mjs"), 'import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n');
  const results = join(dir, "results-none");
  const noBullmq = { NODE_OPTIONS: `--import=${join(hooks, "register.mjs")}` };
  const [flag, fromEnv, plain, control] = await Promise.all([
    scaling([specFile, "--results", results, "--queue", "redis://:hunter2@127.0.0.1:1"]),
    scaling([specFile, "--results", results], { SCALING_QUEUE_URL: "redis://:hunter2@127.0.0.1:1" }),
    scaling([specFile, "--results", results], noBullmq),
    scaling([specFile, "--results", results, "--queue", "redis://127.0.0.1:1"], noBullmq), // the hook works: a queue needs BullMQ
  ]);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /^scaling status: --queue: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 within 5 s .*start redis-server there/);
  assert.equal(fromEnv.code, 2);
  assert.match(fromEnv.stderr, /^scaling status: SCALING_QUEUE_URL: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 /);
  for (const r of [flag, fromEnv]) {
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.ok(!r.stderr.includes("hunter2"));
    assert.equal(r.stdout, "");
  }
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /^ *budget +planned +ok +diverged +failed +pending\n/);
  assert.doesNotMatch(plain.stdout, /queued|workers connected/);
  assert.equal(control.code, 1);
  assert.match(control.stderr, /loaded (bullmq|ioredis)/);
});
