import { createTally } from "../sweep/tally";
import { Queue, QueueEvents } from "bullmq";
import { runResultSchema } from "../train/config";
import { experimentsOf, SWEEP_CODE_VERSION, type RunPlan } from "../sweep/expand";
import { failedRecord, recordOf, type RunRecord } from "../sweep/record";
import type { RunSweepOptions, SweepSummary } from "../sweep/runner";
import { cleanTempFiles, readRecordsOf, writeRecord } from "../sweep/store";
import { closeRedis, connectRedis } from "./connection";
import { jobOf, RUN_JOB_NAME, runQueueName } from "./job";
import type { Redis } from "ioredis";
import { redact, type QueueUrl } from "./url";

/**
 * The queue executor of a sweep: one BullMQ job per pending run, job id = run key, so a run is
 * never enqueued twice and a second invocation re-attaches to the jobs already there (finished
 * ones included: completed jobs are kept, their return value is the run's result until recorded).
 * `scaling worker`s train them; this process alone writes records, atomically, through the store,
 * exactly as the local pool does. It learns of finished jobs from QueueEvents and, as a safety net
 * against missed events (a Redis restart), by polling every job it still waits for.
 */

/** Default seconds between polls of the jobs still waited for. */
export const DEFAULT_POLL_SECONDS = 5;

/** Default seconds to wait for Redis at start before giving up with an error. */
export const DEFAULT_CONNECT_SECONDS = 15;

export interface QueueSweepOptions extends Omit<RunSweepOptions, "workers" | "workerScript" | "queue"> {
  /** The Redis queue the workers listen on. */
  readonly queue: QueueUrl;
  /** Seconds between polls of the jobs still waited for. Default 5. */
  readonly pollSeconds?: number;
  /** Seconds to wait for Redis at start. Default 15. */
  readonly connectSeconds?: number;
  /** Connection trouble and re-queued jobs, one redacted line each (the CLI prints them on stderr). */
  readonly onNotice?: (message: string) => void;
}

/** The queue of one backend's runs, and its event stream. */
interface Lane {
  readonly queue: Queue;
  readonly events: QueueEvents;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Enqueue every pending plan, wait for all of them, record each once; resolves with the summary (also when aborted). */
export async function runQueueSweep(plans: readonly RunPlan[], options: QueueSweepOptions): Promise<SweepSummary> {
  const root = options.resultsDir ?? "results";
  const attempts = 1 + (options.retries ?? 2);
  const codeVersion = options.codeVersion ?? SWEEP_CODE_VERSION;
  const clean = (text: string): string => redact(text, options.queue);
  const notice = (text: string): void => options.onNotice?.(clean(text));
  const started = Date.now();
  const experiments = experimentsOf(plans);
  const cleaned = [...experiments.keys()].reduce((n, e) => n + cleanTempFiles(root, e).length, 0);
  const finished = new Set<string>();
  const storedFailed = new Set<string>();
  for (const [e, reuse] of experiments) {
    for (const r of readRecordsOf(root, e, reuse).records) {
      if (r.status !== "failed" || options.retryFailed === false) finished.add(`${e}/${r.key}`);
      else storedFailed.add(r.key);
    }
  }
  const pending = plans.filter((p) => !finished.has(`${p.experiment}/${p.key}`));
  // Plans by key: identical configs (say, in two experiments) share one job and one training.
  const byKey = new Map<string, RunPlan[]>();
  for (const p of pending) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p]);

  const tally = createTally(pending.length, pending.reduce((s, p) => s + p.realisedCompute, 0), started, options.onProgress);
  const { counts, report } = tally;
  const store = (record: RunRecord, since: number): void => {
    writeRecord(root, record);
    tally.recorded(record.key, record.status, record.realisedCompute);
    options.onRecord?.(record, (Date.now() - since) / 1000, 1); // queue jobs are single runs
  };
  const summary = (): SweepSummary => ({
    total: plans.length,
    trained: counts.trained,
    skipped: plans.length - pending.length,
    failed: counts.failed,
    diverged: counts.diverged,
    pending: pending.length - counts.done,
    interrupted: options.signal?.aborted ?? false,
    wallSeconds: (Date.now() - started) / 1000,
    groups: byKey.size,
    cleanedTempFiles: cleaned,
  });
  if (byKey.size === 0) return summary();

  let lastError = "";
  const onError = (e: Error): void => {
    const text = clean(messageOf(e));
    if (text !== lastError) notice(`queue ${options.queue.shown}: ${text}`);
    lastError = text;
  };
  // One lane (queue + events) per backend: workers take only the runs their backend can train.
  const seconds = options.connectSeconds ?? DEFAULT_CONNECT_SECONDS;
  const clients: Redis[] = [];
  const lanes = new Map<string, Lane>();
  const laneOf = (key: string): Lane => lanes.get(byKey.get(key)?.[0]?.config.backend ?? "") as Lane;
  try {
    for (const backend of new Set(pending.map((p) => p.config.backend))) {
      // Two clients: QueueEvents blocks on its own.
      const connect = async (): Promise<Redis> => {
        const client = await connectRedis(options.queue, seconds);
        clients.push(client);
        client.on("error", onError); // stays attached after BullMQ lets go of the client
        return client;
      };
      const [a, b] = [await connect(), await connect()];
      const lane = { queue: new Queue(runQueueName(backend), { connection: a }), events: new QueueEvents(runQueueName(backend), { connection: b }) };
      lane.queue.on("error", onError);
      lane.events.on("error", onError);
      lanes.set(backend, lane);
      await Promise.all([lane.queue.waitUntilReady(), lane.events.waitUntilReady()]);
    }
    // Finished jobs are kept: a completed job's return value is the result until a sweep records it.
    const enqueue = async (key: string, plan: RunPlan): Promise<void> => {
      await laneOf(key).queue.add(RUN_JOB_NAME, jobOf(plan, codeVersion), { jobId: key, attempts, removeOnComplete: false, removeOnFail: false });
    };
    for (const [key, [plan]] of byKey as Map<string, [RunPlan]>) {
      const job = await laneOf(key).queue.getJob(key);
      if (!job) await enqueue(key, plan);
      else if (storedFailed.has(key) && (await job.getState()) === "failed") await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
    }
    report();

    const waiting = new Set(byKey.keys());
    const busy = new Set<string>();
    let wake: () => void = () => undefined;
    /** Record the job of `key` if it is finished; re-add it if Redis lost it. */
    const settle = async (key: string): Promise<void> => {
      if (!waiting.has(key) || busy.has(key)) return;
      busy.add(key);
      try {
        const plansOfKey = byKey.get(key) ?? [];
        const job = await laneOf(key).queue.getJob(key);
        if (!job) {
          notice(`run ${key} is no longer in the queue (Redis lost it?) — enqueueing it again`);
          if (plansOfKey[0]) await enqueue(key, plansOfKey[0]);
          return;
        }
        const state = await job.getState();
        if (state !== "completed" && state !== "failed") return;
        const tries = Math.max(1, job.attemptsStarted, job.attemptsMade);
        const since = job.processedOn ?? job.timestamp;
        const parsed = state === "completed" ? runResultSchema.safeParse(job.returnvalue) : undefined;
        waiting.delete(key);
        tally.landed(key);
        for (const plan of plansOfKey) {
          if (parsed?.success) store(recordOf(plan, parsed.data, codeVersion, tries), since);
          else {
            const why = parsed ? `worker returned an invalid RunResult: ${parsed.error.issues[0]?.path.join(".")}` : (job.failedReason ?? "failed");
            store(failedRecord(plan, clean(`${why} (after ${tries} attempts)`), codeVersion, tries, ((job.finishedOn ?? Date.now()) - since) / 1000), since);
          }
        }
        report();
        if (waiting.size === 0) wake();
      } finally {
        busy.delete(key);
      }
    };
    const settleAll = async (): Promise<void> => {
      for (const key of [...waiting]) await settle(key);
    };
    for (const { events } of lanes.values()) {
      events.on("completed", ({ jobId }) => void settle(jobId).catch(onError));
      events.on("failed", ({ jobId }) => void settle(jobId).catch(onError));
      events.on("progress", ({ jobId, data }) => {
        const tokens = typeof data === "object" && data !== null ? (data as { tokens?: unknown }).tokens : undefined;
        const plan = byKey.get(jobId)?.[0];
        if (plan && waiting.has(jobId) && typeof tokens === "number") {
          tally.inFlight(jobId, tokens * plan.modelScale);
          report();
        }
      });
    }
    const done = new Promise<void>((resolve) => {
      wake = resolve;
      options.signal?.addEventListener("abort", () => resolve(), { once: true });
    });
    let polling = false;
    const poll = setInterval(() => {
      if (polling) return;
      polling = true;
      settleAll()
        .catch(onError)
        .finally(() => (polling = false));
    }, (options.pollSeconds ?? DEFAULT_POLL_SECONDS) * 1000);
    try {
      await settleAll(); // jobs finished before this invocation, or before events were subscribed
      if (waiting.size > 0 && !options.signal?.aborted) await done;
    } finally {
      clearInterval(poll);
    }
    return summary();
  } finally {
    await Promise.allSettled([...lanes.values()].flatMap((l) => [l.events.close(), l.queue.close()]));
    await Promise.all(clients.map(closeRedis));
  }
}
