import { Queue } from "bullmq";
import type { BackendName } from "../train/config";
import type { RunPlan } from "../sweep/expand";
import type { RunRecord } from "../sweep/record";
import { closeRedis, connectRedis } from "./connection";
import { runQueueName } from "./job";
import type { QueueUrl } from "./url";

/**
 * Where the runs of a queued sweep stand in Redis: the BullMQ state of each run's job (job id =
 * run key, on the queue of the run's backend, as `runQueueSweep` enqueues it) and the workers
 * BullMQ sees on each queue. Read only: nothing is added, moved or removed. `scaling status
 * --queue` splits the runs without a record by these states, so a user sees which are waiting,
 * training, or finished on a worker but not yet recorded (no sweep attached to record them).
 */

/** The states `Queue.getJobState` reports; "unknown" = no such job. */
export const QUEUE_JOB_STATES = ["waiting", "active", "completed", "failed", "delayed", "prioritized", "waiting-children", "unknown"] as const;
export type QueueJobState = (typeof QUEUE_JOB_STATES)[number];

/**
 * Default seconds to wait for Redis: shorter than a sweep's 15 s (DEFAULT_CONNECT_SECONDS), since
 * status is a quick look and rides out no restart.
 */
export const DEFAULT_STATUS_CONNECT_SECONDS = 5;

export interface QueueRunStatesOptions {
  /** Seconds to wait for Redis before a ConfigError. Default 5. */
  readonly connectSeconds?: number;
  /** Flag or variable named in a connection error. Default "--queue". */
  readonly flag?: string;
}

/** One backend's queue. */
export interface QueueLane {
  readonly backend: BackendName;
  /** BullMQ queue name (runQueueName(backend)). */
  readonly name: string;
  /** Worker connections BullMQ sees on this queue (Queue.getWorkers); null where the server hides CLIENT LIST. */
  readonly workers: number | null;
}

export interface QueueRunStates {
  /** The queue URL, password redacted. */
  readonly url: string;
  /** BullMQ state of each given plan's job, by run key. */
  readonly states: Readonly<Record<string, QueueJobState>>;
  /** The queues of the plans' backends, in order of first appearance. */
  readonly lanes: readonly QueueLane[];
  /** Workers on all lanes; null when any lane's count is unknown. */
  readonly workers: number | null;
}

/** Pending runs (no record yet) of one budget, split by their job's state. */
export interface QueueCounts {
  /** Budget C, FLOPs. */
  readonly budget: number;
  /** Waiting for a worker: waiting, delayed (retry backoff), prioritized or waiting-children. */
  readonly queued: number;
  /** Active: a worker holds the job (training, or dead and not yet found stalled). */
  readonly training: number;
  /** Completed on a worker, result kept in Redis: the next `scaling sweep` records it without training. */
  readonly doneOnWorker: number;
  /** Failed every attempt on workers: the next `scaling sweep` records it as failed. */
  readonly failedOnWorker: number;
  /** No job: never enqueued (or removed from Redis); `scaling sweep --queue` enqueues it. */
  readonly notQueued: number;
}

const isWorkerEntry = (client: Record<string, unknown>): boolean => typeof client.rawname === "string";

/** The queue state of every plan's job and the workers per queue; closes every connection it opens. */
export async function queueRunStates(plans: readonly RunPlan[], queue: QueueUrl, options: QueueRunStatesOptions = {}): Promise<QueueRunStates> {
  const backends = [...new Set(plans.map((p) => p.config.backend))];
  const client = await connectRedis(queue, options.connectSeconds ?? DEFAULT_STATUS_CONNECT_SECONDS, options.flag);
  // One client serves every lane: BullMQ leaves a client it was given open (shared), closed below.
  const queues = new Map(backends.map((b) => [b, new Queue(runQueueName(b), { connection: client })]));
  try {
    const states: Record<string, QueueJobState> = {};
    await Promise.all(
      plans.map(async (p) => {
        const state = await (queues.get(p.config.backend) as Queue).getJobState(p.key);
        states[p.key] = (QUEUE_JOB_STATES as readonly string[]).includes(state) ? (state as QueueJobState) : "unknown";
      }),
    );
    const lanes: QueueLane[] = [];
    for (const [backend, q] of queues) {
      const clients = (await q.getWorkers()) as Record<string, unknown>[];
      // A server without CLIENT LIST (e.g. GCP Memorystore) yields one placeholder entry, not a worker.
      lanes.push({ backend, name: q.name, workers: clients.every(isWorkerEntry) ? clients.length : null });
    }
    const counts = lanes.map((l) => l.workers);
    const workers = counts.includes(null) ? null : (counts as number[]).reduce((s, n) => s + n, 0);
    return { url: queue.shown, states, lanes, workers };
  } finally {
    await Promise.allSettled([...queues.values()].map((q) => q.close()));
    await closeRedis(client);
  }
}

/** Pending plans (no record) per budget, ascending, split by queue state; a plan without a state counts as not queued. */
export function queueCounts(plans: readonly RunPlan[], records: readonly RunRecord[], states: Readonly<Record<string, QueueJobState>>): QueueCounts[] {
  const recorded = new Set(records.map((r) => r.key));
  const budgets = [...new Set(plans.map((p) => p.cell.budget))].sort((a, b) => a - b);
  return budgets.map((budget) => {
    const here = plans.filter((p) => p.cell.budget === budget && !recorded.has(p.key)).map((p) => states[p.key] ?? "unknown");
    const count = (...wanted: QueueJobState[]): number => here.filter((s) => wanted.includes(s)).length;
    return {
      budget,
      queued: count("waiting", "delayed", "prioritized", "waiting-children"),
      training: count("active"),
      doneOnWorker: count("completed"),
      failedOnWorker: count("failed"),
      notQueued: count("unknown"),
    };
  });
}
