import * as tf from "@tensorflow/tfjs";
import { runResultSchema, type RunResult, type TrainConfig, type TrainConfigInput } from "./config";
import { resolveTrainConfig, microBatchSizes } from "./validate";
import { selectBackend, type SelectedBackend } from "./backend";
import type { GemmFn } from "./kernels/gemm";
import { setupBlas, type BlasSetup } from "./blasSetup";
import { createModel, windowLoss, type Model } from "./model";
import { checkGroup } from "./group";
import { createAdamW } from "./adamw";
import { batchGradients } from "./step";
import { learningRateAt } from "./schedule";
import { createWindowSampler, validationWindows, type TokenArray } from "../data/sampler";
import { modelScaleExact } from "../model/count";
import { ConfigError } from "../util/errors";

/**
 * `train(config)`: resolve and validate the config, select the backend, load the corpus, train
 * floor(tokens / batchTokens) AdamW steps on seeded windows, evaluate validation bits per byte on a
 * fixed set of held-out windows, and return a RunResult. Divergence is a status, not a crash.
 * `trainGroup(configs)` does the same for R runs of one shape at once; `train` is its R = 1.
 */

/** The corpus fields training needs (what `loadCorpus` returns). */
export interface TrainCorpus {
  name: string;
  vocab: number;
  train: TokenArray;
  val: TokenArray;
  /** Mean bytes per token, to turn nats per token into bits per byte. */
  bytesPerToken: number;
}

export interface TrainProgress {
  step: number;
  steps: number;
  tokens: number;
  /** Training loss of this step, nats per token. */
  loss: number;
  learningRate: number;
  /** Tokens per second summed over the group's runs. */
  tokensPerSecond: number;
  /** Runs of the group still training (1 for a single run). */
  activeRuns?: number;
}

export interface TrainOptions {
  onProgress?(p: TrainProgress): void;
  /** Use this corpus instead of loading `config.corpus` (tests, notebooks with in-memory data). */
  corpus?: TrainCorpus;
  /**
   * Another 2-D product behind the wasm kernels, overriding `config.blas` (default: what
   * `config.blas` selects). Recorded in the result as backend `wasm+<name>`.
   */
  gemm?: { name: string; fn: GemmFn };
}

/** Seed of the validation windows: one fixed set for every run, so runs compare on the same data. */
export const EVAL_SEED = 0x5eed;

/** Training losses averaged into the reported final loss: the last 10% of steps, at most this many. */
const FINAL_LOSS_STEPS = 20;

/** The product behind the wasm kernels; undefined when the backend cannot be wasm. */
function wasmProduct(config: TrainConfig, options: TrainOptions): BlasSetup | undefined {
  if (options.gemm) return { kernels: { gemm: options.gemm.fn }, suffix: `+${options.gemm.name}`, used: { path: "native" } };
  if (config.backend !== "auto" && config.backend !== "wasm") return undefined;
  return setupBlas(config.blas, config.blasThreads);
}

async function loadTrainCorpus(name: string): Promise<TrainCorpus> {
  // Loaded lazily so this module stays importable without the data layer's file I/O.
  const { loadCorpus } = (await import("../data/corpus")) as { loadCorpus(n: string): Promise<TrainCorpus> };
  return loadCorpus(name);
}

/** Each run's mean NLL (nats/token) [R] over the same validation windows, evaluated in micro-batch chunks. */
export function evaluateNats(model: Model, windows: Int32Array, count: number, chunk: number): number[] {
  const width = model.shape.seq + 1;
  const sums = new Array<number>(model.runs).fill(0);
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    const part = windows.subarray(start * width, (start + n) * width);
    // Every run sees the same windows: the chunk repeated once per run.
    const tiled = new Int32Array(model.runs * part.length);
    for (let r = 0; r < model.runs; r++) tiled.set(part, r * part.length);
    const loss = windowLoss(model, tiled, n);
    loss.dataSync().forEach((l, r) => (sums[r] += l * n));
    loss.dispose();
  }
  return sums.map((s) => s / count);
}

/** Steps after which validation runs: `points` evenly spaced places, plus the end. */
export function evalSteps(points: number, steps: number): Set<number> {
  const at = new Set<number>([steps]);
  for (let i = 1; i <= points; i++) at.add(Math.max(1, Math.round((i * steps) / (points + 1))));
  return at;
}

/** One run's training. `train(config)` is `trainGroup([config])`: one code path, R = 1. */
export async function train(input: TrainConfigInput, options: TrainOptions = {}): Promise<RunResult> {
  return (await trainGroup([input], options))[0]!;
}

/** What each run of a group accumulates while the group trains. */
interface RunState {
  curve: RunResult["curve"];
  evals: RunResult["evals"];
  status: RunResult["status"];
  error?: string;
  done: number;
  active: boolean;
}

/**
 * R runs of one shape in lockstep (see ./group for what they must share): one model with a runs
 * axis, one batched forward and backward per step; each run keeps its own learning rate and
 * schedule, seed (init and batch order), AdamW state and clip, divergence check (a diverged run is
 * frozen, the others go on), evaluation and result. Results come back in the order of `inputs`.
 */
export async function trainGroup(inputs: readonly TrainConfigInput[], options: TrainOptions = {}): Promise<RunResult[]> {
  const started = performance.now();
  const configs: TrainConfig[] = inputs.map((c) => resolveTrainConfig(c));
  checkGroup(configs);
  const config = configs[0]!;
  const R = configs.length;
  // The corpus first: a bad corpus is one error line, without a backend notice before it.
  const corpus = options.corpus ?? (await loadTrainCorpus(config.corpus));
  const blas = wasmProduct(config, options);
  const selected: SelectedBackend = await selectBackend(config.backend, blas?.kernels ?? {});
  const backend = blas && selected.name === "wasm" ? { ...selected, name: `wasm${blas.suffix}`, blas: blas.used } : selected;
  if (corpus.vocab > config.shape.vocab) {
    throw new ConfigError(`corpus '${corpus.name}' has vocabulary ${corpus.vocab} > shape.vocab ${config.shape.vocab}`, "shape.vocab", `set vocab to ${corpus.vocab}`);
  }
  const { shape, batchTokens } = config;
  const steps = Math.floor(config.tokens / batchTokens);
  const seqsPerStep = batchTokens / shape.seq;
  const micro = microBatchSizes(config);
  const modelScale = modelScaleExact(shape);
  const samplers = configs.map((c) => createWindowSampler(corpus.train, shape.seq, c.seed));
  const valWindows = validationWindows(corpus.val, shape.seq, config.eval.windows, EVAL_SEED);
  const at = evalSteps(config.eval.points, steps);
  const model = createModel(shape, config.init, configs.map((c) => c.seed));
  const optimizer = createAdamW(model.named.map(([, v]) => v), config.optimizer, R);
  const bitsPerByteOf = (nats: number): number => nats / Math.LN2 / corpus.bytesPerToken;
  const runs: RunState[] = configs.map(() => ({ curve: [], evals: [], status: "ok", done: 0, active: true }));
  const freeze = (run: RunState, status: RunResult["status"], error: string): void => {
    run.status = status;
    run.error = error;
    run.active = false;
  };
  let trainMs = 0;
  try {
    for (let step = 0; step < steps && runs.some((r) => r.active); step++) {
      const t0 = performance.now();
      const lrs = configs.map((c) => learningRateAt(c.schedule, step, steps, c.learningRate, batchTokens));
      const windows = new Int32Array(R * seqsPerStep * (shape.seq + 1));
      samplers.forEach((s, r) => windows.set(s.next(seqsPerStep), r * seqsPerStep * (shape.seq + 1)));
      const { losses, grads } = batchGradients(model, windows, micro);
      runs.forEach((run, r) => {
        if (!run.active) return;
        const loss = losses[r]!;
        const first = run.curve[0]?.loss ?? loss;
        if (!Number.isFinite(loss) || loss > configs[r]!.divergenceFactor * first) {
          freeze(run, "diverged", `loss ${loss} at step ${step} (start ${first.toFixed(3)}, limit ${configs[r]!.divergenceFactor}× start)`);
          if (Number.isFinite(loss)) run.curve.push({ step, tokens: step * batchTokens, loss, learningRate: lrs[r]! });
        }
      });
      if (runs.some((r) => r.active)) optimizer.step(grads, lrs, runs.map((r) => r.active));
      tf.dispose(grads);
      trainMs += performance.now() - t0;
      const done = step + 1;
      runs.forEach((run, r) => {
        if (!run.active) return;
        run.done = done;
        run.curve.push({ step, tokens: step * batchTokens, loss: losses[r]!, learningRate: lrs[r]! });
      });
      const lead = runs.findIndex((r) => r.active);
      if (lead >= 0) {
        options.onProgress?.({ step: done, steps, tokens: done * batchTokens, loss: losses[lead]!, learningRate: lrs[lead]!, tokensPerSecond: (R * done * batchTokens) / (trainMs / 1000), activeRuns: runs.filter((r) => r.active).length });
      }
      if (at.has(done) && lead >= 0) {
        const nats = evaluateNats(model, valWindows, config.eval.windows, Math.max(...micro));
        runs.forEach((run, r) => {
          if (!run.active) return;
          const bpb = bitsPerByteOf(nats[r]!);
          if (!Number.isFinite(bpb)) freeze(run, "diverged", `validation loss is not finite at step ${done}`);
          else run.evals.push({ step: done, tokens: done * batchTokens, bitsPerByte: bpb });
        });
      }
    }
  } catch (e) {
    // A group that breaks mid-way (e.g. the 4 GB wasm heap overflowing as "memory access out of
    // bounds") still yields records, so a sweep can log them and move on.
    const message = (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
    for (const run of runs) if (run.active) freeze(run, "failed", message);
  } finally {
    optimizer.dispose();
    model.dispose();
  }
  // Each run's share of the group's time: the group's wall and training time split evenly.
  const wallSeconds = (performance.now() - started) / 1000 / R;
  return runs.map((run, r) => {
    const tail = run.curve.slice(-Math.max(1, Math.min(FINAL_LOSS_STEPS, Math.ceil(run.curve.length / 10))));
    const tokens = run.done * batchTokens;
    return runResultSchema.parse({
      schemaVersion: 1,
      config: configs[r],
      status: run.status,
      ...(run.error !== undefined ? { error: run.error } : {}),
      modelScale,
      compute: modelScale * tokens,
      tokens,
      steps: run.done,
      loss: run.status === "ok" && tail.length > 0 ? tail.reduce((s, p) => s + p.loss, 0) / tail.length : null,
      bitsPerByte: run.status === "ok" ? (run.evals.at(-1)?.bitsPerByte ?? null) : null,
      curve: run.curve,
      evals: run.evals,
      wallSeconds,
      tokensPerSecond: trainMs > 0 ? (R * tokens) / (trainMs / 1000) : 0,
      backend,
      seed: configs[r]!.seed,
      ...(R > 1 ? { groupSize: R } : {}),
    });
  });
}
