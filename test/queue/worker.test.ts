import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue, QueueEvents } from "bullmq";
import { parseSpec } from "../../lib/sweep/spec";
import { resolveSpec } from "../../lib/sweep/resolve";
import { expandSpec, SWEEP_CODE_VERSION, type RunPlan } from "../../lib/sweep/expand";
import { readRecords, runsDir } from "../../lib/sweep/store";
import { runQueueSweep } from "../../lib/queue/sweep";
import { jobOf, RUN_JOB_NAME, runQueueName } from "../../lib/queue/job";
import { parseQueueUrl } from "../../lib/queue/url";
import { ConfigError } from "../../lib/util/errors";
import { makeCorpus, makeTlsFiles, microSpec, ROOT, startRedis, startWorker, type RedisServer, type WorkerProcess } from "./harness";

/**
 * `scaling worker` processes against a real redis-server: malformed jobs, a worker killed with
 * SIGKILL mid-run, and a password-protected Redis whose password must never be shown.
 */

/** Longest one micro sweep may take on a busy 2-core machine. */
const SWEEP_TIMEOUT_MS = 120_000;
/** Stall timeout of the workers here: a killed worker's run is taken again within about twice this. */
const STALL_SECONDS = "4";
/** Contains URL-special characters, so it is percent-encoded in the URL and must be hidden in both forms. */
const PASSWORD = "s3cr:et/pw@x";

let dir = "";
let corpus = "";
let redis: RedisServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "queue-worker-"));
  corpus = makeCorpus(join(dir, "corpus"));
  redis = await startRedis({ dir: join(dir, "redis") });
});

after(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const plansOf = (name: string, batches: [number, ...number[]]): RunPlan[] => [...expandSpec(resolveSpec(parseSpec(microSpec(name, corpus, batches)), {})).runs];

test("scaling worker rejects malformed jobs at once, keeping an error that names the field on the job", { timeout: 60_000 }, async () => {
  const connection = { url: redis.url, maxRetriesPerRequest: null };
  const queue = new Queue(runQueueName("wasm"), { connection });
  const events = new QueueEvents(runQueueName("wasm"), { connection });
  const worker = startWorker(redis.url, ["--stall-seconds", STALL_SECONDS]);
  try {
    await worker.waitFor((e) => e.event === "ready", 30_000);
    const good = jobOf(plansOf("w-bad", [128])[0]!, SWEEP_CODE_VERSION);
    const cpuJob = jobOf(expandSpec(resolveSpec(parseSpec({ ...microSpec("w-bad-cpu", corpus, [128]), backend: "cpu" }), {})).runs[0]!, SWEEP_CODE_VERSION);
    const bad = [
      { id: "bad-shape", data: { ...good, config: { ...good.config, shape: { ...good.config.shape, layers: -1 } } }, want: /job\.config\.shape\.layers/ },
      { id: "bad-code", data: "require('child_process').execSync('touch /tmp/pwned')", want: /job: Expected object/ },
      { id: "bad-extra", data: { ...good, run: "() => process.exit(1)" }, want: /job: Unrecognized key.*run/ },
      { id: good.key, data: { ...good, codeVersion: "other-1" }, want: /job\.codeVersion: .*other-1/ },
      { id: "not-the-key", data: good, want: /job id not-the-key is not its run key/ },
      { id: cpuJob.key, data: cpuJob, want: /job\.config\.backend: "cpu" run on the "wasm" queue/ },
    ];
    await events.waitUntilReady();
    for (const b of bad) {
      const job = await queue.add(RUN_JOB_NAME, b.data, { jobId: b.id, attempts: 5 });
      await assert.rejects(job.waitUntilFinished(events, 30_000), b.want);
      const stored = await queue.getJob(b.id);
      assert.equal(await stored?.getState(), "failed");
      assert.equal(stored?.attemptsMade, 1, `${b.id} is not retried`);
      assert.match(stored?.failedReason ?? "", b.want);
    }
    const rejected = worker.events().filter((e) => e.event === "rejected");
    assert.deepEqual(rejected.map((e) => e.jobId), bad.map((b) => b.id));
    assert.ok(!worker.events().some((e) => e.event === "started"), "nothing was trained");
  } finally {
    await worker.stop();
    await queue.obliterate({ force: true });
    await Promise.all([events.close(), queue.close()]);
  }
});

test("a scaling worker killed with SIGKILL mid-run loses nothing: another worker trains the run after the stall timeout", { timeout: SWEEP_TIMEOUT_MS }, async (t) => {
  const plans = plansOf("w-kill", [64]);
  const results = join(dir, "results-kill");
  const doomed = startWorker(redis.url, ["--stall-seconds", STALL_SECONDS]);
  let rescuer: WorkerProcess | undefined;
  const stop = new AbortController();
  t.signal.addEventListener("abort", () => stop.abort(), { once: true });
  try {
    await doomed.waitFor((e) => e.event === "ready", 30_000);
    const sweep = runQueueSweep(plans, { queue: parseQueueUrl(redis.url), resultsDir: results, pollSeconds: 1, signal: stop.signal });
    await doomed.waitFor((e) => e.event === "started", 30_000);
    await doomed.kill(); // its training child sees the IPC channel close and exits too
    rescuer = startWorker(redis.url, ["--stall-seconds", STALL_SECONDS]);
    const summary = await sweep;
    assert.deepEqual({ trained: summary.trained, failed: summary.failed }, { trained: 1, failed: 0 });
    const taken = await rescuer.waitFor((e) => e.event === "started", 1);
    assert.equal(taken.attempt, 2, "the second start of the same job");
    assert.ok(rescuer.events().some((e) => e.event === "stalled" && e.jobId === plans[0]!.key), "the rescuer found it stalled");
    const [record] = readRecords(results, "w-kill").records;
    assert.equal(record?.status, "ok");
    assert.equal(record?.attempts, 2);
    assert.equal(readRecords(results, "w-kill").records.length, 1);
  } finally {
    stop.abort(); // a failed assertion must not leave the sweep waiting
    await doomed.kill();
    await rescuer?.stop();
  }
});

test("a password-protected Redis works through URL and environment, and the password appears in no log, error or record", { timeout: SWEEP_TIMEOUT_MS }, async (t) => {
  const secured = await startRedis({ dir: join(dir, "redis-auth"), password: PASSWORD });
  const encoded = encodeURIComponent(PASSWORD);
  const shows = (text: string): boolean => text.includes(PASSWORD) || text.includes(encoded);
  const results = join(dir, "results-auth");
  const worker = startWorker(secured.url, ["--stall-seconds", STALL_SECONDS]);
  const intruder = startWorker(secured.url.replace(encoded, "wrong-pw"), []);
  try {
    await worker.waitFor((e) => e.event === "ready", 30_000);
    const notices: string[] = [];
    const summary = await runQueueSweep(plansOf("w-auth", [128]), { queue: parseQueueUrl(secured.url), resultsDir: results, pollSeconds: 1, signal: t.signal, onNotice: (m) => notices.push(m) });
    assert.equal(summary.trained, 1);
    const wrong = parseQueueUrl(secured.url.replace(encoded, "wrong-pw"));
    await assert.rejects(runQueueSweep(plansOf("w-auth-wrong", [128]), { queue: wrong, resultsDir: results, connectSeconds: 2 }), (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /--queue: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ .*WRONGPASS/);
      assert.ok(!e.message.includes("wrong-pw"));
      return true;
    });
    await intruder.waitFor((e) => e.event === "error", 30_000);
    assert.match(intruder.output(), /WRONGPASS/);
    assert.ok(!intruder.output().includes("wrong-pw"), "a wrong password is not shown either");
    const stored = readdirSync(runsDir(results, "w-auth")).map((n) => readFileSync(join(runsDir(results, "w-auth"), n), "utf8"));
    for (const text of [worker.output(), ...notices, ...stored]) assert.ok(!shows(text), `password shown in: ${text.slice(0, 200)}`);
    assert.match(worker.output(), /"queue":"redis:\/\/:\*\*\*@127\.0\.0\.1:\d+"/);
  } finally {
    await Promise.all([worker.stop(), intruder.kill()]);
    await secured.stop();
  }
});

test("scaling sweep --queue rediss://… and scaling worker train over TLS with a password; untrusted TLS fails with a redacted error", { timeout: SWEEP_TIMEOUT_MS }, async () => {
  const tls = makeTlsFiles(join(dir, "tls"));
  const secured = await startRedis({ dir: join(dir, "redis-tls"), password: PASSWORD, tls });
  assert.match(secured.url, /^rediss:\/\//);
  const trust = { NODE_EXTRA_CA_CERTS: tls.ca };
  const specDir = join(dir, "w-tls"); // a spec's folder is named after it
  mkdirSync(specDir, { recursive: true });
  writeFileSync(join(specDir, "package.json"), '{"type":"module"}\n');
  writeFileSync(join(specDir, "spec.ts"), `export default ${JSON.stringify(microSpec("w-tls", corpus, [128]))};\n`);
  const results = join(dir, "results-tls");
  const worker = startWorker(secured.url, ["--stall-seconds", STALL_SECONDS], trust);
  try {
    await worker.waitFor((e) => e.event === "ready", 30_000);
    const env = { ...process.env, ...trust, SCALING_QUEUE_URL: secured.url };
    const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin/scaling.mjs"), "sweep", join(specDir, "spec.ts"), "--results", results, ...args], { cwd: ROOT, env, encoding: "utf8", timeout: SWEEP_TIMEOUT_MS });
    const sweep = run("--json");
    assert.equal(sweep.status, 0, sweep.stderr);
    const summary = JSON.parse(sweep.stdout) as { trained: number; failed: number; runsCsv: string };
    assert.deepEqual({ trained: summary.trained, failed: summary.failed }, { trained: 1, failed: 0 });
    assert.equal(readRecords(results, "w-tls").records[0]?.status, "ok");
    const misuse = run("--workers", "2");
    assert.equal(misuse.status, 2);
    assert.match(misuse.stderr, /--workers: .*queue/);
    const encoded = encodeURIComponent(PASSWORD);
    for (const text of [sweep.stdout, sweep.stderr, misuse.stderr, worker.output()]) assert.ok(!text.includes(PASSWORD) && !text.includes(encoded));
    // This test process does not trust the throwaway CA.
    await assert.rejects(runQueueSweep(plansOf("w-tls-untrusted", [64]), { queue: parseQueueUrl(secured.url), resultsDir: results, connectSeconds: 2 }), (e: Error) => {
      assert.match(e.message, /^--queue: cannot reach Redis at rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+ .*certificate/);
      return true;
    });
  } finally {
    await worker.stop();
    await secured.stop();
  }
});

test("scaling worker --backend cpu takes the runs of backend-cpu sweeps only, and a default worker the wasm ones", { timeout: SWEEP_TIMEOUT_MS }, async (t) => {
  const wasmPlans = plansOf("w-backend-wasm", [128]);
  const cpuPlans = [...expandSpec(resolveSpec(parseSpec({ ...microSpec("w-backend-cpu", corpus, [128]), backend: "cpu" }), {})).runs];
  assert.deepEqual([wasmPlans[0]!.config.backend, cpuPlans[0]!.config.backend], ["wasm", "cpu"]);
  const results = join(dir, "results-backend");
  const wasmWorker = startWorker(redis.url, ["--stall-seconds", STALL_SECONDS]);
  const cpuWorker = startWorker(redis.url, ["--stall-seconds", STALL_SECONDS, "--backend", "cpu"]);
  try {
    await Promise.all([wasmWorker, cpuWorker].map((w) => w.waitFor((e) => e.event === "ready", 30_000)));
    const summary = await runQueueSweep([...wasmPlans, ...cpuPlans], { queue: parseQueueUrl(redis.url), resultsDir: results, pollSeconds: 1, signal: t.signal });
    assert.equal(summary.trained, 2);
    assert.deepEqual(cpuWorker.events().filter((e) => e.event === "started").map((e) => e.key), [cpuPlans[0]!.key]);
    assert.deepEqual(wasmWorker.events().filter((e) => e.event === "started").map((e) => e.key), [wasmPlans[0]!.key]);
    const [cpuRecord] = readRecords(results, "w-backend-cpu").records;
    const [wasmRecord] = readRecords(results, "w-backend-wasm").records;
    assert.equal(cpuRecord?.backend.name, "cpu");
    assert.match(wasmRecord?.backend.name ?? "", /^wasm/);
    assert.deepEqual(cpuRecord?.config, cpuPlans[0]!.config);
  } finally {
    await Promise.all([wasmWorker.stop(), cpuWorker.stop()]);
  }
});
