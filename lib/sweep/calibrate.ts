import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { modelScaleExact } from "../model/count";
import { searchShape, TINY_FAMILY } from "../model/search";
import { backendNameSchema, type BackendName } from "../train/config";
import { resolveTrainConfig } from "../train/validate";
import { contentKey } from "../util/hash";
import { costCoefficientsSchema, costFeatures, costSampleSchema, fitCost, type CostSample } from "./estimate";
import { SWEEP_CODE_VERSION, type RunPlan } from "./expand";
import { runSweep } from "./runner";
import { writeFileAtomic } from "./store";

/**
 * Calibration of the cost model on this machine: a few short runs of two tiny shapes, trained
 * through the real runner (so process start and corpus loading are counted), fitted by
 * lib/sweep/estimate and cached in `.cache/calibration-<backend>-<hostname>.json`. Each run is
 * timed by its worker's CPU seconds, not wall time: other jobs on a loaded machine stretch wall
 * time (a plan calibrated under load once priced stage 1 at 17 h 24 m; it took 2 h 18 m) but not
 * the CPU a single-threaded worker needs, which is its wall time on a quiet machine.
 */

export const calibrationSchema = z
  .object({
    schemaVersion: z.literal(1),
    backend: backendNameSchema,
    hostname: z.string(),
    /** Worker processes running side by side during calibration. */
    workers: z.number().int().positive(),
    createdAt: z.string(),
    coefficients: costCoefficientsSchema,
    samples: z.array(costSampleSchema),
  })
  .strict();
export type Calibration = z.infer<typeof calibrationSchema>;

/** The calibration runs: [target M, sequences per step, steps] at seq 64 — small and larger shape, short and longer runs, small and big batches. */
const CALIBRATION_RUNS: ReadonlyArray<readonly [number, number, number]> = [
  [3e4, 4, 40],
  [3e4, 16, 40],
  [3e4, 4, 120],
  [2e5, 8, 40],
  [2e5, 16, 30],
  [2e5, 4, 100],
];
const CALIBRATION_SEQ = 64;
const CALIBRATION_EVAL = { windows: 16, points: 1 } as const;

export function calibrationPath(backend: BackendName, cacheDir = ".cache"): string {
  return join(cacheDir, `calibration-${backend}-${hostname()}.json`);
}

export function readCalibration(backend: BackendName, cacheDir = ".cache"): Calibration | undefined {
  const path = calibrationPath(backend, cacheDir);
  if (!existsSync(path)) return undefined;
  const parsed = calibrationSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  return parsed.success ? parsed.data : undefined;
}

/** The calibration runs as plans. */
export function calibrationPlans(backend: BackendName, corpus: string): RunPlan[] {
  return CALIBRATION_RUNS.map(([target, seqs, steps], i) => {
    const shape = searchShape(target, { ...TINY_FAMILY, headSize: 8, seq: CALIBRATION_SEQ }).shape;
    const batchTokens = seqs * CALIBRATION_SEQ;
    const config = resolveTrainConfig({ shape, tokens: steps * batchTokens, batchTokens, learningRate: 1e-3, backend, corpus, eval: CALIBRATION_EVAL });
    const modelScale = modelScaleExact(shape);
    const realisedCompute = modelScale * config.tokens;
    return {
      key: contentKey({ config, codeVersion: SWEEP_CODE_VERSION }),
      experiment: "calibration",
      reuse: [],
      cell: { kind: "hyperparams", budget: realisedCompute, grid: [i, 0, 0, 0], targetModelScale: target, targetBatchTokens: batchTokens, targetLearningRate: 1e-3, seed: 0 },
      config,
      modelScale,
      steps,
      realisedCompute,
    };
  });
}

export interface CalibrateOptions {
  readonly backend: BackendName;
  /** Workers side by side, as the sweep will run. Default 2. */
  readonly workers?: number;
  /** Corpus loaded by the runs. Default "en-prose". */
  readonly corpus?: string;
  /** Cache folder. Default ".cache". */
  readonly cacheDir?: string;
  readonly signal?: AbortSignal;
}

/** Measure, fit and cache; throws when a calibration run fails. */
export async function calibrate(options: CalibrateOptions): Promise<Calibration> {
  const workers = options.workers ?? 2;
  const plans = calibrationPlans(options.backend, options.corpus ?? "en-prose");
  const dir = mkdtempSync(join(tmpdir(), "scaling-calibration-"));
  const samples: CostSample[] = [];
  const problems: string[] = [];
  try {
    // One untimed run first: the first worker processes of a fresh machine start slower (module
    // compile caches, the corpus read from disk), which would otherwise read as the fixed cost.
    await runSweep(plans.slice(0, 1), { resultsDir: join(dir, "warm-up"), workers: 1, retries: 0, ...(options.signal ? { signal: options.signal } : {}) });
    const byKey = new Map(plans.map((p) => [p.key, p]));
    await runSweep(plans, {
      resultsDir: dir,
      workers,
      retries: 0,
      ...(options.signal ? { signal: options.signal } : {}),
      group: 1, // calibration samples are single runs; estimate prices groups from them
      onRecord: (record, wallSeconds, _groupSize, cpuSeconds) => {
        if (record.status !== "ok") problems.push(record.error ?? record.status);
        else samples.push({ ...costFeatures(byKey.get(record.key)!), seconds: cpuSeconds ?? wallSeconds });
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (problems.length > 0) throw new Error(`calibration run failed: ${problems[0]}`);
  if (samples.length < plans.length) throw new Error("calibration was interrupted");
  const calibration: Calibration = {
    schemaVersion: 1,
    backend: options.backend,
    hostname: hostname(),
    workers,
    createdAt: new Date().toISOString(),
    coefficients: fitCost(samples),
    samples,
  };
  writeFileAtomic(calibrationPath(options.backend, options.cacheDir), `${JSON.stringify(calibration, null, 1)}\n`);
  return calibration;
}
