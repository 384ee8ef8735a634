import { UnrecoverableError, Worker, type Job } from "bullmq";
import { runResultSchema, type BackendName, type RunResult } from "../train/config";
import { SWEEP_CODE_VERSION } from "../sweep/expand";
import { projectRoot } from "../sweep/runner";
import { closeRedis, openRedis } from "./connection";
import { parseRunJob, runQueueName, type RunJob } from "./job";
import { redact, type QueueUrl } from "./url";
import { trainInChild } from "./trainChild";

/**
 * A queue worker: takes run jobs from Redis, validates each (a job is data, never code), trains it
 * in a child process and returns the RunResult as the job's return value; the sweep that enqueued
 * it writes the record. A malformed job fails at once (UnrecoverableError: no retry) with the reason
 * kept on the job. A worker that dies leaves its job locked; once the lock expires, any live worker's
 * stall check puts it back in the queue, and another worker trains it again.
 */

/** Default stall timeout, seconds: the job lock's lifetime and the stall-check period (BullMQ's own defaults). */
export const DEFAULT_STALL_SECONDS = 30;

/** A job whose worker died this many times is failed instead of re-queued (an out-of-memory run must not loop). */
export const DEFAULT_MAX_STALLED = 2;

/** Backend of a worker started without --backend: the sweep spec's default. */
export const DEFAULT_WORKER_BACKEND: BackendName = "wasm";

/** Progress is written to Redis at most this often (ms): enough for a progress bar, light on Redis. */
const PROGRESS_WRITE_MS = 2_000;

export type WorkerEvent =
  | { readonly event: "ready"; readonly queue: string; readonly backend: BackendName; readonly concurrency: number }
  | { readonly event: "started"; readonly key: string; readonly attempt: number }
  | { readonly event: "completed"; readonly key: string; readonly status: RunResult["status"]; readonly wallSeconds: number }
  | { readonly event: "failed"; readonly key: string; readonly error: string; readonly attempt: number }
  | { readonly event: "rejected"; readonly jobId: string; readonly error: string }
  | { readonly event: "stalled"; readonly jobId: string }
  | { readonly event: "error"; readonly error: string };

export interface QueueWorkerOptions {
  /** Redis queue (see parseQueueUrl). */
  readonly queue: QueueUrl;
  /** Runs trained at once, each in its own child process. Default 1. */
  readonly concurrency?: number;
  /** Backend whose runs this worker takes (its queue, see runQueueName): a sweep's `backend`. Default "wasm", the spec default. */
  readonly backend?: BackendName;
  /**
   * Seconds a job lock lives without renewal, and the period of the stall check. A dead worker's
   * run is taken again within about twice this. The lock is renewed by this (idle) process, not by
   * the training child, so long runs do not need a long timeout. Default 30.
   */
  readonly stallSeconds?: number;
  /** Worker deaths after which a run is failed rather than re-queued. Default 2. */
  readonly maxStalledCount?: number;
  /** Code version this worker trains; jobs planned by another are rejected. Default SWEEP_CODE_VERSION. */
  readonly codeVersion?: string;
  /** Checkout root holding lib/sweep/workerMain.ts. Default: found from the working directory. */
  readonly root?: string;
  /** Called once per event (already redacted); the CLI logs them. */
  readonly onEvent?: (event: WorkerEvent) => void;
}

export interface QueueWorkerHandle {
  readonly worker: Worker;
  /** Stop taking jobs. Graceful: wait for runs in flight. Forced: kill them (their jobs return after the stall timeout). */
  close(force?: boolean): Promise<void>;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  const codeVersion = options.codeVersion ?? SWEEP_CODE_VERSION;
  const root = options.root ?? projectRoot();
  const stallMs = (options.stallSeconds ?? DEFAULT_STALL_SECONDS) * 1000;
  const concurrency = options.concurrency ?? 1;
  const backend = options.backend ?? DEFAULT_WORKER_BACKEND;
  const emit = (event: WorkerEvent): void => options.onEvent?.(event);
  const clean = (text: string): string => redact(text, options.queue);
  const children = new Set<AbortController>();

  const processor = async (bullJob: Job): Promise<RunResult> => {
    let job: RunJob;
    try {
      job = parseRunJob(bullJob.data, codeVersion);
      if (bullJob.id !== job.key) throw new Error(`job id ${String(bullJob.id)} is not its run key ${job.key}`);
      if (job.config.backend !== backend) throw new Error(`job.config.backend: "${job.config.backend}" run on the "${backend}" queue`);
    } catch (e) {
      const error = clean(`rejected malformed job: ${messageOf(e)}`);
      emit({ event: "rejected", jobId: String(bullJob.id), error });
      throw new UnrecoverableError(error);
    }
    const attempt = bullJob.attemptsStarted;
    emit({ event: "started", key: job.key, attempt });
    const controller = new AbortController();
    children.add(controller);
    let lastWrite = 0;
    const outcome = await trainInChild(job.config, {
      root,
      signal: controller.signal,
      onTokens: (tokens) => {
        const now = Date.now();
        if (now - lastWrite < PROGRESS_WRITE_MS) return;
        lastWrite = now;
        bullJob.updateProgress({ tokens }).catch(() => undefined); // progress is best effort
      },
    }).finally(() => children.delete(controller));
    const fail = (error: string): never => {
      const shown = clean(error);
      emit({ event: "failed", key: job.key, error: shown, attempt });
      throw new Error(shown);
    };
    if (!outcome.ok) return fail(outcome.error);
    const parsed = runResultSchema.safeParse(outcome.result);
    if (!parsed.success) return fail(`training returned an invalid RunResult: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
    const result: RunResult = { ...parsed.data, ...(parsed.data.error ? { error: clean(parsed.data.error) } : {}) };
    emit({ event: "completed", key: job.key, status: result.status, wallSeconds: result.wallSeconds });
    return result;
  };

  // BullMQ duplicates this client for its blocking connection (and closes that one itself).
  const client = openRedis(options.queue);
  const worker = new Worker(runQueueName(backend), processor, {
    connection: client,
    concurrency,
    lockDuration: stallMs,
    stalledInterval: stallMs,
    maxStalledCount: options.maxStalledCount ?? DEFAULT_MAX_STALLED,
    autorun: false,
  });
  let lastError = "";
  worker.on("error", (e) => {
    // ioredis retries a lost connection every few seconds: report each distinct error once in a row.
    const error = clean(messageOf(e));
    if (error !== lastError) emit({ event: "error", error });
    lastError = error;
  });
  worker.on("stalled", (jobId) => emit({ event: "stalled", jobId }));
  worker.on("lockRenewalFailed", (jobIds) => {
    const error = `could not renew the lock of ${jobIds.join(", ")} in time (machine too busy? raise --stall-seconds): another worker may train it too; one result is kept`;
    emit({ event: "error", error });
  });
  void worker.run().catch((e: unknown) => emit({ event: "error", error: clean(messageOf(e)) }));
  await worker.waitUntilReady();
  emit({ event: "ready", queue: options.queue.shown, backend, concurrency });
  return {
    worker,
    close: async (force = false) => {
      if (!force) await worker.close();
      else {
        // Connections first, so the killed runs cannot be reported as failed attempts.
        await worker.close(true);
        for (const c of children) c.abort();
      }
      await closeRedis(client);
    },
  };
}
