import * as tf from "@tensorflow/tfjs";
import { runResultSchema, type RunResult, type TrainConfig, type TrainConfigInput } from "./config";
import { resolveTrainConfig, microBatchSizes } from "./validate";
import { selectBackend, type SelectedBackend } from "./backend";
import type { GemmFn } from "./kernels/gemm";
import { setupBlas, type BlasSetup } from "./blasSetup";
import { createModel, windowLoss, type Model } from "./model";
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
  tokensPerSecond: number;
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

/** Mean NLL (nats/token) over fixed validation windows, evaluated in micro-batch chunks. */
export function evaluateNats(model: Model, windows: Int32Array, count: number, chunk: number): number {
  const width = model.shape.seq + 1;
  let sum = 0;
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    const loss = windowLoss(model, windows.subarray(start * width, (start + n) * width), n);
    sum += loss.dataSync()[0]! * n;
    loss.dispose();
  }
  return sum / count;
}

/** Steps after which validation runs: `points` evenly spaced places, plus the end. */
export function evalSteps(points: number, steps: number): Set<number> {
  const at = new Set<number>([steps]);
  for (let i = 1; i <= points; i++) at.add(Math.max(1, Math.round((i * steps) / (points + 1))));
  return at;
}

export async function train(input: TrainConfigInput, options: TrainOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const config: TrainConfig = resolveTrainConfig(input);
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
  const sampler = createWindowSampler(corpus.train, shape.seq, config.seed);
  const valWindows = validationWindows(corpus.val, shape.seq, config.eval.windows, EVAL_SEED);
  const at = evalSteps(config.eval.points, steps);
  const model = createModel(shape, config.init, config.seed);
  const vars = model.named.map(([, v]) => v);
  const optimizer = createAdamW(vars, config.optimizer);
  const bitsPerByteOf = (nats: number): number => nats / Math.LN2 / corpus.bytesPerToken;
  const curve: RunResult["curve"] = [];
  const evals: RunResult["evals"] = [];
  let status: RunResult["status"] = "ok";
  let error: string | undefined;
  let trainMs = 0;
  let done = 0;
  try {
    for (let step = 0; step < steps; step++) {
      const t0 = performance.now();
      const learningRate = learningRateAt(config.schedule, step, steps, config.learningRate, batchTokens);
      const { loss, grads } = batchGradients(model, sampler.next(seqsPerStep), micro);
      const first = curve[0]?.loss ?? loss;
      if (!Number.isFinite(loss) || loss > config.divergenceFactor * first) {
        tf.dispose(grads);
        status = "diverged";
        error = `loss ${loss} at step ${step} (start ${first.toFixed(3)}, limit ${config.divergenceFactor}× start)`;
        if (Number.isFinite(loss)) curve.push({ step, tokens: step * batchTokens, loss, learningRate });
        break;
      }
      optimizer.step(grads, learningRate);
      tf.dispose(grads);
      trainMs += performance.now() - t0;
      done = step + 1;
      curve.push({ step, tokens: step * batchTokens, loss, learningRate });
      options.onProgress?.({ step: done, steps, tokens: done * batchTokens, loss, learningRate, tokensPerSecond: (done * batchTokens) / (trainMs / 1000) });
      if (at.has(done)) {
        const bpb = bitsPerByteOf(evaluateNats(model, valWindows, config.eval.windows, Math.max(...micro)));
        if (!Number.isFinite(bpb)) {
          status = "diverged";
          error = `validation loss is not finite at step ${done}`;
          break;
        }
        evals.push({ step: done, tokens: done * batchTokens, bitsPerByte: bpb });
      }
    }
  } catch (e) {
    // A run that breaks mid-way (e.g. the 4 GB wasm heap overflowing as "memory access out of
    // bounds") still yields a record, so a sweep can log it and move on.
    status = "failed";
    error = (e instanceof Error ? e.message : String(e)).split("\n")[0];
  } finally {
    optimizer.dispose();
    model.dispose();
  }
  const tail = curve.slice(-Math.max(1, Math.min(FINAL_LOSS_STEPS, Math.ceil(curve.length / 10))));
  const tokens = done * batchTokens;
  return runResultSchema.parse({
    schemaVersion: 1,
    config,
    status,
    ...(error !== undefined ? { error } : {}),
    modelScale,
    compute: modelScale * tokens,
    tokens,
    steps: done,
    loss: status === "ok" && tail.length > 0 ? tail.reduce((s, p) => s + p.loss, 0) / tail.length : null,
    bitsPerByte: status === "ok" ? (evals.at(-1)?.bitsPerByte ?? null) : null,
    curve,
    evals,
    wallSeconds: (performance.now() - started) / 1000,
    tokensPerSecond: trainMs > 0 ? tokens / (trainMs / 1000) : 0,
    backend,
    seed: config.seed,
  });
}
