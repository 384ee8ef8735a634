/**
 * study-hyperparams — stage 1 of the study (issue "The study: DeepSeek LLM §3 reproduced at CPU scale").
 * Question: over 1.5 decades of compute, does the near-optimal (B, η) region follow power laws in C, and
 * how do their exponents compare with DeepSeek's Eq. 1 (B ∝ C^0.3271, η ∝ C^−0.1250; arXiv 2401.02954 §3.1)?
 * Design: per budget, one model at Eq. 4's M_opt; a 5 × 6 grid of B and η at √2 steps, fine enough that
 * several runs per budget fall within 0.25% of the budget's best loss. The grid is centred below Eq. 1
 * (B at 0.35–1.4×, η at 0.25–1.4×) because the tiny-hyperparams runs (results/tiny-hyperparams) were
 * best at ≈ 0.5× Eq. 1's B and η at 6e9–2e10 FLOPs.
 */
import type { SweepSpecInput } from "../../lib/sweep/spec";

export default {
  name: "study-hyperparams",
  corpus: "en-prose",
  backend: "wasm",
  seq: 64,
  vocab: 256,
  family: { headSize: 8, aspectRatio: 16 },
  budgets: [1e11, 3.2e11, 1e12, 3.2e12],
  seeds: [0],
  eval: { windows: 64, points: 1 },
  design: {
    kind: "hyperparams",
    modelScale: { law: "deepseek" },
    // √2 steps: on the measured bowls neighbours differ by ≈ 0.2–0.5% in loss, so the 0.25% band holds several.
    batchTokens: { law: "deepseek", factors: [0.35, 0.5, 0.71, 1, 1.41] },
    learningRate: { law: "deepseek", factors: [0.25, 0.35, 0.5, 0.71, 1, 1.41] },
  },
} satisfies SweepSpecInput;
