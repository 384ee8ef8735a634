/**
 * tiny-hyperparams — Question: at tiny budgets, where is the near-optimal region of batch size B and
 * peak learning rate η, and is it centred on DeepSeek's Eq. 1 (arXiv 2401.02954 §3.1)?
 * Design: per budget, one model at Eq. 4's M_opt; a 3 × 3 grid of B and η at ¼–4× Eq. 1's values.
 */
import type { SweepSpecInput } from "../../lib/sweep/spec";

export default {
  name: "tiny-hyperparams",
  corpus: "en-prose",
  backend: "wasm",
  seq: 64,
  vocab: 256,
  family: { headSize: 8, aspectRatio: 16 },
  budgets: [2e9, 6e9, 2e10],
  seeds: [0],
  eval: { windows: 64, points: 1 },
  design: {
    kind: "hyperparams",
    modelScale: { law: "deepseek" },
    batchTokens: { law: "deepseek", factors: [0.5, 1, 2] },
    learningRate: { law: "deepseek", factors: [0.25, 0.5, 1, 2, 4] },
  },
} satisfies SweepSpecInput;
