/**
 * study-hyperparams — stage 1 of the study (issue "The study: DeepSeek LLM §3 reproduced at CPU scale").
 * Question: over 1.5 decades of compute, does the near-optimal (B, η) region follow power laws in C, and
 * how do their exponents compare with DeepSeek's Eq. 1 (B ∝ C^0.3271, η ∝ C^−0.1250; arXiv 2401.02954 §3.1)?
 * Design: 4 budgets over 1.52 decades; per budget one model at Eq. 4's M_opt and a 5 × 5 grid of B and η
 * at √2 steps: B at 0.18–0.71× Eq. 1, η at 0.35–1.41×. The grid sits below Eq. 1 in B because a first
 * design (B 0.35–1.41×) was best at its lowest B row at 3.2e11 and 1e12 (see README.md).
 * Seeds 0–3 of every cell: one seed's loss varies by 0.4–1.2% (study-noise), more than the paper's 0.25%
 * near-optimal band, and the fits compare cells by their mean over seeds. Seeds 1–3 were trained as
 * study-hyperparams-seeds and are reused from there by run key.
 */
import type { SweepSpecInput } from "../../lib/sweep/spec";

export default {
  name: "study-hyperparams",
  corpus: "en-prose",
  backend: "wasm",
  seq: 64,
  vocab: 256,
  family: { headSize: 8, aspectRatio: 16 },
  budgets: [3e10, 1e11, 3.2e11, 1e12],
  seeds: [0, 1, 2, 3],
  reuse: ["study-hyperparams-seeds"],
  eval: { windows: 64, points: 1 },
  design: {
    kind: "hyperparams",
    modelScale: { law: "deepseek" },
    batchTokens: { law: "deepseek", factors: [0.18, 0.25, 0.35, 0.5, 0.71] },
    learningRate: { law: "deepseek", factors: [0.35, 0.5, 0.71, 1, 1.41] },
  },
} satisfies SweepSpecInput;
