import * as tf from "@tensorflow/tfjs";
import type { ModelShape } from "../model/shape";
import { modelScaleExact } from "../model/count";
import { createModel } from "./model";
import { createAdamW } from "./adamw";
import { batchGradients } from "./step";
import { microBatchSizes } from "./validate";
import { createRng } from "../util/random";

/**
 * Training-step throughput of a shape on the active backend (the bench's measuring core, kept in
 * lib/ so the script stays wiring). Counts FLOPs two ways: M (the paper's non-embedding
 * FLOPs/token) and every matmul the engine runs (forward products × 3 for forward + backward).
 */

export interface ThroughputOptions {
  /** Sequences per step. */
  batchSeqs: number;
  /** Untimed steps first (XNNPACK packing, heap growth). Default 1. */
  warmupSteps?: number;
  /** Timed steps. Default 3. */
  steps?: number;
  /** Micro-batch cap in tokens; default: the engine's memory-based split. */
  microBatchTokens?: number;
  /** Runs trained in lockstep (lib/train/train's trainGroup); throughput is summed over them. Default 1. */
  runs?: number;
}

export interface Throughput {
  msPerStep: number;
  /**
   * CPU milliseconds this process used per step (all its threads). On a shared machine it moves far
   * less than wall time, so it compares code versions when other jobs load the cores.
   */
  cpuMsPerStep: number;
  /** GFLOP/s of M per CPU second (the machine-load-independent counterpart of gflopsM). */
  gflopsMPerCpu: number;
  tokensPerSecond: number;
  /** GFLOP/s of M (modelScaleExact). */
  gflopsM: number;
  /** GFLOP/s of all matmul FLOPs (forward + backward). */
  gflopsMatmul: number;
  microBatches: number;
}

/** Matmul FLOPs per token of one forward pass as this engine computes it (one-hot embedding, RoPE as x·R, unmasked attention). */
export function forwardMatmulFlopsPerToken(shape: ModelShape): number {
  const { layers, dModel: d, heads, kvHeads, ffn, seq, vocab } = shape;
  const hs = d / heads;
  const dense = 2 * (2 * d * d + 2 * d * kvHeads * hs + 3 * d * ffn);
  const rope = 2 * (heads + kvHeads) * hs * hs;
  const scores = 2 * 2 * heads * seq * hs; // QKᵀ and PV over all seq keys
  return layers * (dense + rope + scores) + 2 * 2 * vocab * d;
}

export function measureThroughput(shape: ModelShape, options: ThroughputOptions): Throughput {
  const { batchSeqs, warmupSteps = 1, steps = 3, runs = 1 } = options;
  const batchTokens = batchSeqs * shape.seq * runs; // summed over the runs
  const micro = microBatchSizes({ shape, batchTokens: batchSeqs * shape.seq, microBatchTokens: options.microBatchTokens });
  const model = createModel(shape, { std: 0.006, scaleWithWidth: false }, Array.from({ length: runs }, (_, r) => 1 + r));
  const vars = model.named.map(([, v]) => v);
  const opt = createAdamW(vars, { beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1, clipNorm: 1 }, model.runs);
  const rng = createRng(2);
  const windows = Int32Array.from({ length: runs * batchSeqs * (shape.seq + 1) }, () => rng.int(shape.vocab));
  const runStep = (): void => {
    const { grads } = batchGradients(model, windows, micro);
    opt.step(grads, 1e-3);
    tf.dispose(grads);
  };
  try {
    for (let i = 0; i < warmupSteps; i++) runStep();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < steps; i++) runStep();
    const msPerStep = (performance.now() - t0) / steps;
    const cpu = process.cpuUsage(c0);
    const cpuMsPerStep = (cpu.user + cpu.system) / 1000 / steps;
    const tokensPerSecond = batchTokens / (msPerStep / 1000);
    return {
      msPerStep,
      cpuMsPerStep,
      gflopsMPerCpu: (modelScaleExact(shape) * batchTokens) / (cpuMsPerStep / 1000) / 1e9,
      tokensPerSecond,
      gflopsM: (modelScaleExact(shape) * tokensPerSecond) / 1e9,
      gflopsMatmul: (3 * forwardMatmulFlopsPerToken(shape) * tokensPerSecond) / 1e9,
      microBatches: micro.length,
    };
  } finally {
    opt.dispose();
    model.dispose();
  }
}

/** GFLOP/s of one plain 2-D product [m, k] × [k, n] on the active backend (median of `repeats`). */
export function plainMatmulGflops(m: number, k: number, n: number, repeats = 5): number {
  const a = tf.randomNormal([m, k]);
  const b = tf.randomNormal([k, n]);
  try {
    // The tidy callbacks return nothing: tidy walks a returned object, and a typed array has 10⁵ keys.
    const once = (): void => tf.tidy(() => void tf.matMul(a, b).dataSync());
    once();
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      once();
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    return (2 * m * k * n) / (times[Math.floor(repeats / 2)]! / 1000) / 1e9;
  } finally {
    tf.dispose([a, b]);
  }
}
