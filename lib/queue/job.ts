import { z } from "zod";
import { trainConfigSchema, type BackendName, type TrainConfig } from "../train/config";
import { configErrorFromIssues, ConfigError } from "../util/errors";
import { contentKey } from "../util/hash";
import type { RunPlan } from "../sweep/expand";

/**
 * What travels through the queue: one run as plain data — its key, the code version and the fully
 * resolved TrainConfig. Never code. A worker re-validates it against the schema and re-derives the
 * key, so a hand-made or corrupted job can neither run nor land under another run's key.
 */

/** Prefix of the BullMQ queue names shared by `scaling sweep --queue` and `scaling worker`. */
export const RUN_QUEUE_PREFIX = "scaling-runs";

/**
 * One queue per backend (`scaling-runs-wasm`, `scaling-runs-tensorflow`, …): the backend is part of
 * a run's config and key, so a run goes to workers started with that `--backend`, and a GPU worker
 * never takes a wasm run (nor a CPU-only machine a GPU run).
 */
export function runQueueName(backend: BackendName): string {
  return `${RUN_QUEUE_PREFIX}-${backend}`;
}

/** BullMQ job name of a training run. */
export const RUN_JOB_NAME = "train";

export const runJobSchema = z
  .object({
    /** contentKey({config, codeVersion}); also the BullMQ job id. */
    key: z.string().min(1),
    /** Code version hashed into the key (SWEEP_CODE_VERSION of the enqueuing sweep). */
    codeVersion: z.string().min(1),
    /** The fully resolved train config. */
    config: trainConfigSchema,
  })
  .strict();
export type RunJob = z.infer<typeof runJobSchema>;

/** The job data of a planned run. */
export function jobOf(plan: RunPlan, codeVersion: string): RunJob {
  return { key: plan.key, codeVersion, config: plan.config as TrainConfig };
}

/**
 * Validate job data; throws a one-line ConfigError naming the field (`job.config.shape.layers`)
 * when it is malformed, was made by different code, or its key is not its config's.
 */
export function parseRunJob(data: unknown, expectedCodeVersion: string): RunJob {
  const parsed = runJobSchema.safeParse(data);
  if (!parsed.success) throw configErrorFromIssues(parsed.error.issues, "job");
  const job = parsed.data;
  if (job.codeVersion !== expectedCodeVersion) {
    throw new ConfigError(
      `job was planned by code version "${job.codeVersion}", this worker runs "${expectedCodeVersion}"`,
      "job.codeVersion",
      "run workers from the same checkout as the sweep",
    );
  }
  const key = contentKey({ config: job.config, codeVersion: job.codeVersion });
  if (key !== job.key) throw new ConfigError(`key ${job.key} is not the key of its config (${key})`, "job.key", "enqueue runs with `scaling sweep --queue`");
  return job;
}
